"""Worksheets as data: field kinds, steps, answer checking and feedback. Never imports widgets."""

from coachkit.worksheet.definition import (
    Answers,
    Step,
    StepCheck,
    Worksheet,
    WorksheetDefinitionError,
    check_all,
    check_step,
    is_shown,
)
from coachkit.worksheet.feedback import Feedback, in_reading_order
from coachkit.worksheet.fields import (
    FIELD_KINDS,
    AnswerError,
    Field,
    LongText,
    MultiChoice,
    Notice,
    Option,
    Rating,
    ShortText,
    ShownIf,
    SingleChoice,
    TimeOfDay,
    Value,
    YesNo,
)

__all__ = [
    "FIELD_KINDS", "AnswerError", "Answers", "Feedback", "Field", "LongText", "MultiChoice", "Notice",
    "Option", "Rating", "ShortText", "ShownIf", "SingleChoice", "Step", "StepCheck", "TimeOfDay",
    "Value", "Worksheet", "WorksheetDefinitionError", "YesNo", "check_all", "check_step",
    "in_reading_order", "is_shown",
]
