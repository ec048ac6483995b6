from rehearse.sentences import MAX_SENTENCE_WORDS, split_sentences
from rehearse.types import Word

from tests.helpers import words


def texts(sentences):
    return [s.text for s in sentences]


def test_splits_at_sentence_punctuation():
    result = split_sentences(words("I was a nurse. My task was clear! Did it work? Yes."))
    assert texts(result) == ["I was a nurse.", "My task was clear!", "Did it work?", "Yes."]


def test_keeps_abbreviations_and_decimals_inside_a_sentence():
    result = split_sentences(words("Dr. Patel saw a 0.3% drop rate, e.g. lost webhooks. Then I acted."))
    assert texts(result) == ["Dr. Patel saw a 0.3% drop rate, e.g. lost webhooks.", "Then I acted."]


def test_long_pause_ends_a_sentence_without_punctuation():
    first = [Word("we", 0.0, 0.2), Word("shipped", 0.2, 0.6), Word("it", 0.6, 0.8)]
    second = [Word("then", 2.5, 2.8), Word("it", 2.8, 3.0), Word("broke", 3.0, 3.4)]
    assert texts(split_sentences(first + second)) == ["we shipped it", "then it broke"]


def test_unpunctuated_run_is_cut_before_discourse_markers():
    text = ("i was working at a bank on the payments team and we had a batch job that failed every night " * 2
            + "so i traced the failures to a timeout in the upstream service and i rewrote the retry logic "
            + "then the failures stopped and we saved about four hours a week of manual reruns")
    result = split_sentences(words(text))
    assert len(result) > 2
    assert all(len(s.words) <= MAX_SENTENCE_WORDS for s in result)
    assert any(s.text.startswith("so i traced") for s in result)
    # Nothing is lost or reordered.
    assert " ".join(texts(result)) == " ".join(text.split())


def test_indices_follow_order():
    result = split_sentences(words("One. Two. Three."))
    assert [s.index for s in result] == [0, 1, 2]


def test_no_words_gives_no_sentences():
    assert split_sentences([]) == []


def _cut_points(text):
    """Where an unpunctuated run was cut, as the first three words of each piece."""
    return [" ".join(s.text.split()[:3]) for s in split_sentences(words(text))]


def test_unpunctuated_cut_comes_before_the_lead_in_of_a_phase_opener():
    text = ("my task was to get the rota sorted before the weekend because two people had just left the team "
            "so what i did was ring every part timer and ask which shifts they could cover that month "
            "and within a month the gaps were gone and nobody had to work a double shift again")
    starts = _cut_points(text)
    # "so" and "and" belong to the clause they introduce, not to the one before.
    assert "so what i" in starts
    assert "and within a" in starts


def test_unpunctuated_run_is_not_cut_where_the_clause_is_unfinished():
    text = ("i rewrote the import job so that it could resume where it stopped and i realised we had been "
            "losing rows every night because i had assumed the upstream file was complete when it arrived")
    starts = _cut_points(text)
    # A purpose clause, a complement clause ("realised we") and "because I" continue the sentence.
    assert not any(s.startswith(("so that", "we had", "i had")) for s in starts)
    assert "and i realised" in starts


def test_unpunctuated_run_is_cut_before_a_noun_phrase_subject_but_not_an_object():
    text = ("i presented the tool at our engineering all hands and asked for a two week trial of it "
            "the team kept it after the trial and i fixed the flaky tests that had blocked merges for months")
    starts = _cut_points(text)
    assert "the team kept" in starts
    # "fixed the flaky tests": the noun phrase is the verb's object.
    assert not any(s.startswith("the flaky") for s in starts)


def test_unpunctuated_cut_after_a_stranded_preposition_and_before_a_connective():
    text = ("closing took so long that the last shift finished forty minutes late which the manager never paid for "
            "so i timed each closing job for two weeks and wrote a checklist for the closers "
            "unfortunately the owner did not like the checklist at first")
    starts = _cut_points(text)
    # "paid for" ends its clause: "so I" starts the next one.
    assert "so i timed" in starts
    assert "unfortunately the owner" in starts


def test_a_pause_makes_a_clause_start_the_cut_in_unpunctuated_speech():
    text = ("i rebuilt the rota for the whole ward over two weekends and checked it with every nurse on nights "
            "then it went live in march and sickness absence fell by a third over the spring")
    # Timed speech: a 0.5 s pause before "and checked" (a bare "and": no cut without the pause).
    timed = words(text)
    pause_at = text.split().index("checked") - 1
    timed = timed[:pause_at] + [Word(w.text, w.start_s + 0.5, w.end_s + 0.5) for w in timed[pause_at:]]
    assert "and checked it" not in _cut_points(text)
    assert "and checked it" in [" ".join(s.text.split()[:3]) for s in split_sentences(timed)]


def test_no_with_a_full_stop_ends_a_sentence_unless_a_number_follows():
    result = split_sentences(words("I could not say no. What I did was list the requests. We met in room No. 4 at ten."))
    assert texts(result) == ["I could not say no.", "What I did was list the requests.", "We met in room No. 4 at ten."]


def test_unpunctuated_cut_prefers_a_signpost_to_a_time_adverbial_just_before_it():
    text = ("in the final meeting the general counsel raised concerns about our clause library and recommended "
            "a competitor and the decision went their way within a week looking back i had run the whole deal "
            "through one person and i confused enthusiasm with authority")
    got = texts(split_sentences(words(text)))
    assert any(t.endswith("within a week") for t in got)
    assert any(t.startswith("looking back") for t in got)


def test_unpunctuated_run_is_not_cut_after_how_or_why():
    text = ("so i was asked to work out how we would actually do the personalised plans day to day "
            "and nobody could tell me why we had no field for them in the case system at all")
    starts = _cut_points(text)
    assert "we would actually" not in starts
    assert "we had no" not in starts


def test_a_capitalised_function_word_starts_a_sentence_whose_full_stop_was_lost():
    result = split_sentences(words("we had three meetings and no plan We had to present in week four, so I told Gaz."))
    assert texts(result) == ["we had three meetings and no plan", "We had to present in week four, so I told Gaz."]


def test_a_closing_curly_quote_after_a_question_mark_ends_the_sentence():
    result = split_sentences(words("I asked, \u201cIs there a problem?\u201d The father was upset."))
    assert texts(result) == ["I asked, \u201cIs there a problem?\u201d", "The father was upset."]


def test_speech_run_on_with_commas_but_no_full_stop_is_cut_into_clauses():
    text = ("yeah so we got all nineteen trailers to the port for the ferry even though we lost four drivers "
            "that morning, I was a transport planner for a logistics company, we did export loads for a drinks "
            "firm and they had this big order going to Ireland")
    result = split_sentences(words(text))
    assert len(result) > 1
    assert any(s.text.startswith("I was a transport planner") for s in result)
    assert " ".join(texts(result)) == " ".join(text.split())


def test_a_number_is_not_cut_at_its_and():
    spoken = words("so the best way I can put it is we served a hundred and twenty wedding guests a three course meal "
                   "on time with no working oven and the couple never found out")
    # A speaker's pause inside the number ("a hundred ... and twenty") would otherwise make "and" a clause start.
    at_and = next(i for i, w in enumerate(spoken) if w.text == "and")
    paused = [w if i < at_and else Word(w.text, w.start_s + 0.5, w.end_s + 0.5) for i, w in enumerate(spoken)]
    assert not any(s.text.startswith("and twenty") for s in split_sentences(paused))


LONG_SENTENCE = ("I rang the supplier that afternoon and asked for the certificates of analysis for both batches, "
                 "and then I sent samples from each of them to an outside laboratory so that we could compare "
                 "the melt flow properly before the next management meeting.")


def test_a_long_sentence_in_a_punctuated_answer_is_kept_whole():
    text = "I was a buyer at a packaging firm. The line kept jamming. " + LONG_SENTENCE + " Scrap fell by half."
    assert LONG_SENTENCE in texts(split_sentences(words(text)))


def test_where_full_stops_are_sparse_a_long_run_is_cut_at_clause_starts():
    # Speech typed as said: one full stop in fifty-odd words.
    text = "so the line kept jamming every night " + LONG_SENTENCE
    result = split_sentences(words(text))
    assert len(result) > 2
    assert all(len(s.words) <= MAX_SENTENCE_WORDS for s in result)


def test_a_new_subject_with_a_negated_or_past_verb_starts_a_sentence_in_run_on_speech():
    text = ("so I drove back knocked explained got it back off the lady and took it round to the right house "
            "at like seven with a note saying sorry it's late the customer never even complained about it")
    result = texts(split_sentences(words(text)))
    assert any(s.startswith("the customer never even complained") for s in result)
    assert " ".join(result) == " ".join(text.split())
    text = ("i loaded the last van myself at about four in the afternoon and checked every label on the cages twice "
            "everything went out on time and none of the stores rang the depot about a missing cage that week")
    assert texts(split_sentences(words(text)))[1].startswith("everything went out on time")
