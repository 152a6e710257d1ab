import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from byline.moderation.toxicity import get_backend
from byline.moderation.toxicity.combined import CombinedBackend, ProfanityCheckBackend
from byline.moderation.toxicity.profanity_check import profanity_check_model

ROOT = Path(__file__).resolve().parents[2]


def test_our_fast_profanity_check_scores_exactly_like_the_package():
    from profanity_check import predict_prob

    texts = ["Kill the bill!", "you are an idiot", "The council met on Tuesday.", "", "f u c k"]
    ours = [profanity_check_model().probability(t) for t in texts]
    assert ours == pytest.approx(list(predict_prob(texts)), abs=1e-9)


@pytest.mark.django_db
def test_the_combined_backend_sees_what_profanity_check_alone_misses():
    combined, alone = CombinedBackend(), ProfanityCheckBackend()
    for text in ("This country will become a shithole", "They are vermin", "Those people are freeloaders"):
        assert alone.score(text).score < 0.5
        assert combined.score(text).score >= 0.75
    assert alone.score("Kill the bill!").score > 0.9
    assert combined.score("Kill the bill!").score < 0.6


def test_the_backend_is_chosen_by_a_dotted_path():
    assert isinstance(get_backend(), CombinedBackend)
    with override_settings(BYLINE_TOXICITY_BACKEND="tests.moderation.backends.Broken"):
        assert get_backend().name == "broken"
    with override_settings(BYLINE_TOXICITY_BACKEND="nowhere.Backend"), pytest.raises(ImproperlyConfigured):
        get_backend()


def test_the_shipped_model_holds_weights_not_training_text():
    import json

    from byline.moderation.toxicity.linear import MODEL_PATH

    data = json.loads(MODEL_PATH.read_text())
    assert MODEL_PATH.stat().st_size < 1_000_000
    assert all(len(term.split()) <= 2 for term, _, _ in data["features"])


def test_the_evaluation_bench_prints_figures_for_any_labelled_csv(tmp_path):
    sample = tmp_path / "mine.csv"
    sample.write_text(
        "text,label\n"
        '"Kill the bill, it guts transit.",civil\n'
        '"You are a f*cking idiot",abusive\n'
        '"Thanks for the careful reporting.",civil\n'
        '"They are vermin",abusive\n'
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "moderation_eval.py"), str(sample)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert result.stdout.strip().splitlines()[-1] == "recall=1.00 fpr=0.00 n=4"


def test_our_evaluation_set_is_big_balanced_and_separate_from_the_tuning_set():
    import csv

    def rows(name):
        with (ROOT / "tests" / "moderation" / name).open(newline="") as handle:
            return list(csv.DictReader(handle))

    evaluation, tuning = rows("eval_comments.csv"), rows("tuning_comments.csv")
    assert len(evaluation) >= 300
    civil = sum(r["label"] == "civil" for r in evaluation)
    assert abs(civil - len(evaluation) / 2) <= 10
    assert not {r["text"] for r in evaluation} & {r["text"] for r in tuning}


@pytest.mark.django_db
def test_short_friendly_comments_stay_well_below_the_nudge_threshold():
    backend = CombinedBackend()
    for text in ("Bravo", "Hmm.", "Fantastic interview", "Totally agree with the writer.", "Nice work"):
        assert backend.score(text).score < 0.5, text
