"""A small bank of common behavioural interview questions, for `rehearse record --random`."""

from __future__ import annotations

import random

QUESTIONS: tuple[str, ...] = (
    "Tell me about a time you solved a difficult problem.",
    "Tell me about a time you disagreed with your manager or a colleague.",
    "Describe a time you made a mistake. What did you do about it?",
    "Tell me about a time you took ownership of something outside your role.",
    "Give an example of a time you worked under a tight deadline.",
    "Tell me about a time you had to influence someone without authority.",
    "Describe a situation where you had to deal with a difficult stakeholder or customer.",
    "Tell me about a time you failed.",
    "Tell me about a project you are proud of.",
    "Describe a time you had to make a decision with incomplete information.",
    "Tell me about a time you improved a process.",
    "Give an example of a time you had to learn something quickly.",
)


def random_question(rng: random.Random | None = None) -> str:
    """One question from the bank, picked at random."""
    return (rng or random.Random()).choice(QUESTIONS)
