"""The dashboard's stylesheet: the worksheets' calm palette, wider, for a coach at a desk."""

from __future__ import annotations

CSS = """
.ck-dash {
  --ck-ink: #23302e; --ck-soft: #5b6b68; --ck-accent: #2f6f62; --ck-line: #d9dfdc;
  --ck-paper: #fbfaf7; --ck-warn: #8a4b12; --ck-warn-bg: #fdf3e7; --ck-danger: #9b1c1c;
  --ck-danger-bg: #fdeeee;
  max-width: 78rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; box-sizing: border-box; width: 100%;
  background: var(--ck-paper); color: var(--ck-ink); font-size: 15px; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.ck-dash * { box-sizing: border-box; }
.ck-dash .widget-html-content, .ck-dash .widget-html {
  font-size: inherit; line-height: 1.45; color: inherit; }
.ck-dash h1 { font-size: 1.6rem; margin: .25rem 0 .5rem; font-weight: 600; }
.ck-dash h2 { font-size: 1.2rem; margin: 1.25rem 0 .4rem; font-weight: 600; }
.ck-dash h3 { font-size: 1rem; margin: .75rem 0 .25rem; font-weight: 600; }
.ck-dash p { margin: .25rem 0 .6rem; }
.ck-dash .ck-muted { color: var(--ck-soft); }
.ck-dash .ck-note { background: var(--ck-warn-bg); border: 1px solid #ecd3b4; border-radius: 6px;
  padding: .5rem .75rem; color: var(--ck-warn); }
.ck-dash .ck-message { padding: .5rem .75rem; border-radius: 6px; background: #eef5f3; margin: .5rem 0; }
.ck-dash .ck-message:empty { display: none; }
.ck-dash table.ck-clients { border-collapse: collapse; width: 100%; background: #fff; }
.ck-dash .ck-clients th, .ck-dash .ck-clients td { text-align: left; padding: .4rem .6rem;
  border-bottom: 1px solid var(--ck-line); vertical-align: top; }
.ck-dash .ck-clients th { color: var(--ck-soft); font-weight: 600; font-size: .85rem; }
.ck-dash .ck-clients td.ck-num, .ck-dash .ck-clients th.ck-num { text-align: right; }
.ck-dash .ck-badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .8rem;
  font-weight: 600; margin-right: .25rem; white-space: nowrap; }
.ck-dash .ck-badge.ck-safety { background: var(--ck-danger); color: #fff; }
.ck-dash .ck-badge.ck-attention { background: var(--ck-warn-bg); color: var(--ck-warn);
  border: 1px solid #ecd3b4; }
.ck-dash .ck-badge.ck-gentle { background: #fff; color: var(--ck-danger);
  border: 1px solid var(--ck-danger); }
.ck-dash .ck-badge.ck-draft { background: #eef1f0; color: var(--ck-soft); }
.ck-dash section.ck-alert { border-left: 6px solid var(--ck-danger); background: var(--ck-danger-bg);
  padding: .6rem 1rem; border-radius: 6px; margin: .75rem 0; }
.ck-dash section.ck-alert h2 { margin-top: .2rem; color: var(--ck-danger); }
.ck-dash section.ck-gentle { border-left: 6px solid var(--ck-danger); background: #fff;
  padding: .5rem 1rem; border-radius: 6px; margin: .75rem 0; border-top: 1px solid var(--ck-line); }
.ck-dash .ck-contact { background: #eef5f3; border-radius: 6px; padding: .5rem .8rem; }
.ck-dash section.ck-attention { border-left: 6px solid var(--ck-warn); background: var(--ck-warn-bg);
  padding: .5rem 1rem; border-radius: 6px; margin: .75rem 0; }
.ck-dash .ck-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1rem; }
.ck-dash figure.ck-chart { margin: 0; background: #fff; border: 1px solid var(--ck-line); border-radius: 8px;
  padding: .6rem .75rem; }
.ck-dash figure.ck-chart h3 { margin-top: 0; }
.ck-dash figure.ck-chart img { width: 100%; height: auto; display: block; }
.ck-dash figure.ck-chart figcaption { color: var(--ck-soft); font-size: .9rem; margin-top: .25rem; }
.ck-dash .ck-empty { color: var(--ck-soft); font-style: italic; padding: 1.5rem 0; text-align: center; }
.ck-dash .ck-plan { background: #fff; border: 1px solid var(--ck-line); border-radius: 8px;
  padding: .6rem 1rem; }
.ck-dash .ck-plan ol { margin: .25rem 0 .5rem 1.25rem; padding: 0; }
.ck-dash details { border: 1px solid var(--ck-line); border-radius: 6px; background: #fff; margin: .35rem 0; }
.ck-dash details > summary { cursor: pointer; padding: .45rem .75rem; }
.ck-dash details[open] > summary { border-bottom: 1px solid var(--ck-line); }
.ck-dash details > .ck-body { padding: .25rem .9rem .6rem; }
.ck-dash dl.ck-answers { margin: 0; }
.ck-dash dl.ck-answers dt { font-weight: 600; margin-top: .4rem; }
.ck-dash dl.ck-answers dd { margin: 0 0 .2rem 0; white-space: pre-wrap; }
.ck-dash .ck-unanswered { color: var(--ck-soft); font-style: italic; }
.ck-dash .ck-downloads a { display: inline-block; margin: .2rem .75rem .2rem 0; }
.ck-dash .ck-danger-zone { border: 1px solid #e9b8b8; border-radius: 8px; padding: .25rem 1rem .75rem;
  margin-top: 1.5rem; background: #fff; }
.ck-dash .ck-danger-zone h2 { color: var(--ck-danger); }
.ck-dash .widget-dropdown > select { font-size: 1rem; }
.ck-dash .widget-label { width: auto; padding-right: .5rem; }
.ck-dash .ck-setting .widget-text, .ck-dash .ck-setting .widget-textarea,
.ck-dash .ck-checkin .widget-dropdown, .ck-dash .ck-checkin .widget-textarea {
  width: calc(100% - 4px) !important; max-width: 100%; }
.ck-dash .ck-link-text { width: min(36rem, 100%); font: inherit; padding: .3rem .4rem; }
.ck-dash .ck-copy { font: inherit; padding: .3rem .8rem; cursor: pointer; }
.ck-dash .ck-qr { display: block; margin: .5rem 0; image-rendering: pixelated; }
.ck-dash section.ck-checked { border-left: 6px solid var(--ck-accent); background: #fff;
  padding: .5rem 1rem; border-radius: 6px; margin: .75rem 0; }
.ck-dash table.ck-couple { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
.ck-dash table.ck-couple th, .ck-dash table.ck-couple td {
  border-bottom: 1px solid var(--ck-line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
.ck-dash table.ck-couple tr.ck-differ td { background: #fdf6ec; }
.ck-dash .ck-mark { color: #8a4b10; font-weight: 600; margin-top: .2rem; }
.ck-dash .ck-share { background: #fff; border: 1px solid var(--ck-line); border-radius: 8px;
  padding: .4rem .9rem; margin: .5rem 0; }
"""


def stylesheet() -> str:
    return f"<style>{CSS}</style>"
