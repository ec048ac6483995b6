"""The segmenter keeps its measured accuracy on every labelled set (text, no model needed).

The floors sit just under the figures in the README, so a change that makes the
segmenter worse on any writer's answers fails here. The blind sets are only
scored, never read: a failure on one is a regression to report, not to tune for.
"""

from pathlib import Path

import pytest

from rehearse.evaluation import score_answer, summarise
from rehearse.labels import load_labelled
from rehearse.sentences import split_sentences
from rehearse.star import segment

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# set -> (lowest mean word accuracy, lowest single answer), just under the measured figures.
FLOORS = {
    "answers": (0.995, 0.99),
    "devset": (0.960, 0.74),
    "heldout": (0.965, 0.80),
    "heldout2": (0.935, 0.74),
    "heldout3": (0.930, 0.52),
    "heldout4": (0.930, 0.70),
    "heldout5": (0.890, 0.49),
    "heldout6": (0.875, 0.53),
    "heldout7": (0.895, 0.64),
    "blind": (0.945, 0.76),
    "blind3": (0.925, 0.54),
    "blind4": (0.900, 0.57),
    "blind7": (0.915, 0.56),
    "blind9": (0.930, 0.66),
    "blind10": (0.890, 0.50),
    "blind11": (0.855, 0.13),
    "blind12": (0.930, 0.57),
    "blind13": (0.900, 0.55),
    "blind14": (0.915, 0.67),
    "blind15": (0.885, 0.26),
    "blind16": (0.910, 0.47),
    "blind17": (0.940, 0.74),
    "blind18": (0.920, 0.56),
    "blind19": (0.905, 0.57),
    "blind20": (0.910, 0.67),
    "blind21": (0.915, 0.40),
    "blind22": (0.920, 0.64),
    "heldout-hard1": (0.895, 0.42),
    "heldout-hard2": (0.885, 0.49),
    "blind23": (0.890, 0.59),
    "blind24": (0.885, 0.60),
    "blind25": (0.935, 0.49),
    "blind26": (0.925, 0.56),
    "blind-hard1": (0.930, 0.63),
    "blind-hard2": (0.895, 0.59),
    "heldout8": (0.895, 0.53),
    "heldout-hard3": (0.905, 0.61),
    "blind27": (0.900, 0.50),
    "blind28": (0.900, 0.72),
    "blind29": (0.895, 0.49),
    "blind30": (0.895, 0.49),
    "blind-hard3": (0.900, 0.57),
    "blind-hard4": (0.855, 0.42),
    "blind31": (0.925, 0.70),
    "blind32": (0.925, 0.42),
    "blind33": (0.920, 0.62),
    "blind34": (0.905, 0.64),
    "blind-hard5": (0.910, 0.73),
    "blind-hard6": (0.905, 0.48),
    "blind35": (0.920, 0.59),
    "blind36": (0.900, 0.43),
    "blind-hard7": (0.880, 0.51),
    "blind-hard8": (0.850, 0.60),
    "blind-hard9": (0.865, 0.56),
    "blind-hard10": (0.920, 0.65),
    "blind37": (0.925, 0.47),
    "blind38": (0.880, 0.54),
    "blind-hard11": (0.885, 0.56),
    "blind-hard12": (0.915, 0.46),
}


def _summary(name):
    scores = []
    for path in sorted((FIXTURES / name).glob("*.json")):
        answer = load_labelled(path)
        predicted = [ps.phase for ps in segment(split_sentences(answer.words)) for _ in ps.sentence.words]
        scores.append(score_answer(answer.id, answer.words, answer.phases, predicted))
    return summarise(scores)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_segmentation_accuracy_holds_on_each_labelled_set(name):
    summary = _summary(name)
    lowest_mean, lowest_answer = FLOORS[name]
    assert summary.count >= 6
    assert summary.mean_accuracy >= lowest_mean, f"{name}: mean {summary.mean_accuracy:.3f}"
    assert summary.worst.word_accuracy >= lowest_answer, f"{name}: {summary.worst.answer_id} {summary.worst.word_accuracy:.3f}"
