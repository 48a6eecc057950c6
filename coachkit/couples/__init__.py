"""Couples: two clients linked as partners, kept apart unless it is safe, sharing only by choice.

``gate`` decides, from both partners' safety answers, whether anything joint may happen at all (pure);
``service`` asks it before every link, share, approval and showing, through the store.
"""
