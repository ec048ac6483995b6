import re

from rehearse.sentences import split_sentences
from rehearse.star import gather_evidence, segment

from tests.helpers import words

STANDARD = (
    "The situation was that our checkout service kept timing out during sales. "
    "Customers were abandoning carts and support tickets piled up. "
    "My task was to find the cause before the holiday sale, even though checkout wasn't my team's service. "
    "So what I did first was pull a week of traces and reproduce the timeout locally. "
    "I found a connection pool that was capped at ten connections. "
    "I raised the cap, added a circuit breaker, and load tested it at three times peak traffic. "
    "As a result, timeouts dropped from 4% to 0.1% of requests. "
    "That recovered about $20,000 a day in abandoned carts, and the pool settings became our standard. "
    "What I learned was to load test the dependencies, not just our own code, before a sale."
)


def phases_of(text):
    return [(ps.phase, ps.sentence.text) for ps in segment(split_sentences(words(text)))]


def _opening(text):
    """The phases of the first two sentences: a headline then the scene, or the scene throughout."""
    return [phase for phase, _ in phases_of(text)][:2]


def test_explicit_markers_give_the_standard_order():
    got = [phase for phase, _ in phases_of(STANDARD)]
    assert got == ["situation", "situation", "task", "action", "action", "action", "result", "result", "reflection"]


def test_outcome_first_headline_is_a_result_before_the_situation():
    text = (
        "The short version is that I cut onboarding time from nine days to three. "
        "I was the product manager for billing at a scheduling company. "
        "New clinics went quiet during their first week and many never booked an appointment. "
        "I started by shadowing six onboarding calls and mapping every step. "
        "Then I built a self-serve calendar import to replace the manual one. "
        "As a result, onboarding fell to three days and conversion rose from 18 to 26 percent."
    )
    got = [phase for phase, _ in phases_of(text)]
    assert got[0] == "result"
    assert got[1] == "situation"
    assert got[-1] == "result"
    assert "action" in got


def _runs(phases):
    letters = {"situation": "S", "task": "T", "action": "A", "result": "R", "reflection": "F"}
    return "".join(letters[p] for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p)


def test_phases_go_back_only_where_a_story_does():
    # A headline, then the phases in order, with at most one second round of action and
    # result, and at most one result after the lesson.
    allowed = re.compile(r"R?S?T?A?R?(AR)?F?R?")
    for text in (STANDARD, STANDARD + " " + STANDARD, LESSON_INSIDE_RESULT + " " + STANDARD):
        got = [phase for phase, _ in phases_of(text)]
        assert allowed.fullmatch(_runs(got)), _runs(got)


def test_evidence_names_the_cues_that_fired():
    evidence = gather_evidence(split_sentences(words("My task was to fix the billing export.")))
    assert "my task was" in evidence[0].reasons["task"]
    assert evidence[0].scores["task"] == max(evidence[0].scores.values())


def test_empty_input_gives_no_phases():
    assert segment([]) == []


def _reasons(text):
    return gather_evidence(split_sentences(words(text)))[0].reasons


def test_others_judging_the_work_and_a_realised_ability_are_result_cues():
    assert "the chairman commended" in _reasons("At the end the chairman commended me on the report.")["result"]
    assert "i was able to" in _reasons("I presented it and I was able to answer every question.")["result"]


def test_generic_you_with_a_modal_is_a_lesson():
    reasons = _reasons("The same is true with clients: you can't help them unless you listen first.")
    assert "you can't" in reasons["reflection"]


def test_need_is_not_a_past_tense_verb():
    # "need" ends in -ed but is present tense: the sentence is a present-tense generalisation.
    reasons = _reasons("Customers need to hear the bad news first.")
    assert "a present-tense generalisation" in reasons["reflection"]
    assert not any(r.startswith("customers need") for r in reasons["action"])


def test_a_definite_role_in_the_story_is_a_task_cue():
    assert _reasons("As the senior paramedic on scene, I had to decide who went first.")["task"]
    assert _reasons("My immediate task was to cut the timeline.")["task"]
    # "As a ... at ..." introduces the speaker's job: scene-setting, not a task.
    assert not any(r.startswith("as a") for r in _reasons("As a site manager for a builder, I ran twelve homes.")["task"])


def test_a_story_restart_marks_the_sentence_before_it_as_a_headline():
    text = (
        "We filed the response with forty minutes to spare, and the motion was denied. "
        "I was a paralegal at a small employment law firm. "
        "On a Thursday one of our attorneys realised the deadline was the following Monday. "
        "My job was to build the statement of disputed facts. "
        "I started by indexing every deposition in a spreadsheet. "
        "Then I drafted the statement and checked every citation twice. "
        "The judge later quoted two of our facts in the ruling."
    )
    got = phases_of(text)
    assert got[0][0] == "result"
    assert got[1][0] == "situation"
    reasons = gather_evidence(split_sentences(words(text)))[0].reasons["result"]
    assert "the story restarts after it" in reasons


def test_a_fronted_concessive_sentence_can_open_a_new_phase():
    text = (
        "When I was teaching Year 4, I noticed that several pupils were reading well below the expected level. "
        "Although it was not part of my role, I decided to set up a small reading group for my own class. "
        "I used our assessment data to pick the eight pupils who were furthest behind. "
        "I ran twenty-minute sessions three mornings a week before registration. "
        "By the end of the year, six of the eight had reached the expected standard."
    )
    got = [phase for phase, _ in phases_of(text)]
    assert got[:2] == ["situation", "task"]


def test_a_situation_signpost_after_the_first_sentence_marks_a_headline():
    text = (
        "We got the new ward rota live in four days, and overtime fell by a third. "
        "The situation was that our ward had lost two senior nurses in the same month. "
        "My job was to rebuild the rota before the bank holiday. "
        "I started by asking everyone which shifts they could not work. "
        "Then I built the rota in a shared sheet and walked the team through it. "
        "In the end every shift was covered over the bank holiday."
    )
    assert _opening(text) == ["result", "situation"]
    assert "the story restarts after it" in gather_evidence(split_sentences(words(text)))[0].reasons["result"]


def test_an_interrupted_result_signpost_is_still_a_result_cue():
    assert any(r.startswith("the result") for r in _reasons("The result, to be upfront, was that we lost the deal.")["result"])
    assert any(r.startswith("the result") for r in _reasons("The result I'm proudest of is that the app shipped.")["result"])


def test_negated_verbs_are_not_actions():
    assert not _reasons("I did not have much information about the load.")["action"]
    assert not any("won" in r for r in _reasons("I won't forecast a deal until I have met the buyer.")["action"])
    assert "i did" in _reasons("I did a quick handover to the crash team.")["action"]


def test_a_state_or_perception_after_so_or_also_is_not_a_step():
    assert not any(r.startswith("so i") for r in _reasons("So I was asked to work out the new process.")["action"])
    assert not any(r.startswith("i also") for r in _reasons("I needed to fix it, but I also saw the bigger problem.")["action"])
    assert "so i" in _reasons("So I rang the supplier.")["action"]


def test_time_to_an_outcome_and_keeping_to_plan_are_result_cues():
    assert "within a week" in _reasons("The decision went their way within a week.")["result"]
    assert any(r.endswith("on programme") for r in _reasons("It kept the whole block on programme.")["result"])
    # "on schedule" as the manner of a step is not an outcome.
    assert not any("schedule" in r for r in _reasons("I paused the jobs on schedule.")["result"])
    assert "luckily" in _reasons("Luckily, he took it seriously.")["result"]


def test_an_action_inside_a_that_clause_is_not_the_speakers_step():
    reasons = _reasons("They appreciated that I connected with them.")
    assert not any(r.startswith("i connected") for r in reasons["action"])
    assert "they appreciated" in reasons["result"]


def test_advice_and_generic_you_are_lesson_cues():
    assert "never give" in _reasons("Never give feedback in the heat of service.")["reflection"]
    assert any(r.endswith("don't just") for r in _reasons("And yeah, I guess, don't just accept the first explanation.")["reflection"])
    assert "it's better to" in _reasons("In an emergency it's better to give one clear job to one person.")["reflection"]
    assert "it clicked" in _reasons("That's when it clicked for me that a rota is not a spreadsheet.")["reflection"]
    assert "when you give" in _reasons("People change their minds when you give them a test.")["reflection"]
    assert "teaches you" in _reasons("The Army teaches you that.")["reflection"]
    # Reported past speech with "you" is part of the story, not a rule.
    assert not any(r.startswith("when you") for r in _reasons("She asked me what happened when you were out.")["reflection"])


def test_feedback_given_is_not_an_outcome():
    assert "feedback" in _reasons("The feedback from the client was glowing.")["result"]
    assert not any("feedback" in r for r in _reasons("Never give feedback in the heat of service.")["result"])


def test_summing_up_a_cost_and_a_rank_are_outcome_cues():
    assert "all in all" in _reasons("All in all we were degraded for about twenty minutes.")["result"]
    assert "cost us" in _reasons("Cost us a day and about a hundred quid in cable.")["result"]
    assert any(r.startswith("best in the") for r in _reasons("It made 4.2 watts, the second best in the cohort.")["result"])
    # A cost avoided or wished for is not something that happened.
    assert not any("cost" in r for r in _reasons("I did the moves at night so it wouldn't cost them any labour.")["result"])
    assert not any("cost" in r for r in _reasons("Make it cost them as close to nothing as possible.")["result"])


def test_responsibility_felt_and_an_inevitable_me_are_task_cues():
    assert any(r.startswith("i felt responsible") for r in _reasons("I didn't own it, but I felt responsible for raising it.")["task"])
    assert any(r.endswith("be me") for r in _reasons("Someone had to and it was probably going to be me.")["task"])


def test_when_the_work_finished_is_an_outcome_cue():
    assert "we finished at" in _reasons("We finished at about half one in the morning.")["result"]


def test_a_sentence_opening_with_during_is_scene_setting():
    assert "during" in _reasons("During the audit season our team was short of two analysts.")["situation"]


def test_being_told_news_is_not_being_given_a_task():
    assert not _reasons("On my first day my manager told me the person I was replacing had already left.")["task"]
    assert any(r.startswith("my manager told me to") for r in _reasons("My manager told me to fix the forecast.")["task"])


def test_a_role_without_an_article_restarts_the_story_after_a_headline():
    text = (
        "We poured the raft slab on the one dry day, which kept the whole block on programme. "
        "I was site manager for a four-storey block in Bristol, and the pour had already slipped twice. "
        "My responsibility was to get the slab poured within nine days. "
        "I checked the forecast twice a day and booked the pump for the Tuesday. "
        "The pour finished by two in the afternoon and the frame contractor started on time."
    )
    assert _opening(text) == ["result", "situation"]


def test_a_habit_kept_since_the_story_is_a_lesson():
    reasons = _reasons("Since then I map every buying group explicitly.")
    assert "since then i map" in reasons["reflection"]


def test_receiving_a_ticket_or_a_page_is_the_trigger_not_a_step():
    assert any(r.startswith("i got a ticket") for r in _reasons("I got a ticket on a Friday evening from a studio owner.")["situation"])
    assert "i get paged" in _reasons("And so I get paged at six.")["situation"]


def test_cue_search_matches_the_whole_word_pattern_exactly():
    # find() checks the "no word character before" guard itself, for speed; it must
    # give the same match as the guarded pattern, including where the guard rejects one.
    from rehearse.star import CUES
    from rehearse.text import compile_pattern, find, normalise_sentence

    texts = [normalise_sentence(s).text for s in split_sentences(words(STANDARD))] + [
        "unrelated: misled the team, then i learned it, $20,000 saved, 4% less, at_first we had",
        "theresult was fine and the result was better",
    ]
    for cue in CUES:
        for text in texts:
            expected = compile_pattern(cue.pattern).search(text)
            got = find(cue.pattern, text)
            assert (got and got.span()) == (expected and expected.span()), (cue.pattern, text)


def test_a_generic_human_subject_in_the_present_is_a_lesson_and_more_easily_is_no_outcome():
    reasons = _reasons("People change their minds much more easily when you give them a test they can win.")
    assert "people change" in reasons["reflection"]
    assert not any(r.startswith("much more") for r in reasons["result"])
    assert "much faster" in _reasons("Checkout got much faster after the fix.")["result"]


LESSON_INSIDE_RESULT = (
    "I was the duty manager at a garden centre when our till system double-charged card payments for a weekend. "
    "My job was to make every affected customer whole before the complaints reached head office. "
    "I pulled the card logs, matched each duplicate to a receipt and phoned every customer myself. "
    "All 212 refunds went out within four days and we had no chargebacks. "
    "Looking back, what I learned is that the fastest apology is the one you make before the customer notices. "
    "Six months later, complaints about payments were down 40%, and head office used my spreadsheet in every store."
)


def test_a_lesson_told_inside_the_result_is_followed_by_the_rest_of_the_result():
    got = [phase for phase, _ in phases_of(LESSON_INSIDE_RESULT)]
    assert got[-3:] == ["result", "reflection", "result"]


def test_a_closing_lesson_with_a_weak_outcome_word_stays_a_lesson():
    text = STANDARD + " Since that sale I ask for feedback on every load test plan before I run it."
    got = [phase for phase, _ in phases_of(text)]
    assert got[-2:] == ["reflection", "reflection"]


def test_a_step_told_in_the_present_is_an_action_but_a_habit_is_not():
    assert "i ask the" in _reasons("So I ask the team leader if I can make a trolley for each size.")["action"]
    assert not _reasons("Now I ask the team leader before I change anything.")["action"]


def test_owning_the_thing_and_stepping_up_are_task_cues():
    assert _reasons("It was my plan and my shift.")["task"]
    assert _reasons("I felt like somebody had to own the whole block.")["task"]
    assert _reasons("I felt I had a professional duty to warn him.")["task"]
    assert not _reasons("It was my first week on the ward.")["task"]


def test_a_mistake_its_fallout_and_the_repair_decode_as_two_rounds_of_action_and_result():
    text = (
        "I was a backend engineer at a payments startup, and our refunds ran through a shared config service. "
        "My task was to clean up the old feature flags before a migration. "
        "I deleted eleven flags I believed were dead and merged the change on a Friday afternoon. "
        "As a result, refunds stalled for three hours and about four hundred customers complained. "
        "So I told the incident channel straight away that it was my change, reverted it, and replayed every held refund. "
        "In the end no refund was lost, and the flag check I added to CI has caught two similar changes since."
    )
    assert _runs([phase for phase, _ in phases_of(text)]) == "STARAR"


def test_a_priority_a_deadline_and_work_already_given_are_task_cues():
    assert _reasons("I knew my first priority was to stop it spreading.")["task"]
    assert _reasons("So I had ninety days to turn it round.")["task"]
    assert not any(r.startswith("so i") for r in _reasons("So I had ninety days to turn it round.")["action"])
    assert _reasons("I'd been asked to produce the final wireframes.")["task"]


def test_a_need_with_a_filler_adverb_is_task_not_a_step():
    reasons = _reasons("so I basically had to get him escalated without leaving the rest of the bay.")
    assert any(r.startswith("i basically had to") for r in reasons["task"])
    assert not any(r.startswith("so i") for r in reasons["action"])


def test_a_verdict_on_the_attempt_is_a_strong_outcome_cue():
    assert "it didn't work" in _reasons("It didn't work.")["result"]
    assert "i'd made it worse" in _reasons("So I'd made it worse, and the head teacher was not impressed.")["result"]


def test_work_put_on_the_speaker_is_a_task_cue():
    assert any(r.startswith("the ticket was mine") for r in _reasons("The ticket was mine end to end, including deploying it.")["task"])
    assert "asked me if i" in _reasons("The coordinator asked me if I'd take charge of Thursdays.")["task"]
    assert "it was basically on me" in _reasons("So it was basically on me and Josh to fix it over a weekend.")["task"]
    assert any(r.startswith("i set myself the goal") for r in _reasons("I set myself the goal of redesigning the assessment.")["task"])


def test_what_the_team_got_or_lost_is_an_outcome_but_a_background_clause_is_not():
    for sentence, said in (("We lost no more time after that.", "we lost"), ("So we got four new tents.", "we got")):
        reasons = _reasons(sentence)
        assert said in reasons["result"]
        assert not any(r.startswith(said) for r in reasons["action"])
    assert not any(r.startswith("we got") for r in _reasons("When we got there the shop was empty.")["result"])
    assert not any(r.startswith("we kept") for r in _reasons("Then we kept an eye on it for a few days.")["result"])


def test_a_strong_outcome_first_sentence_is_a_headline_even_over_technical_background():
    text = (
        "I moved our billing database from one self-managed MySQL server to a managed cluster with zero downtime. "
        "To give you the picture, the database was a MySQL primary on a bare server, with two read replicas behind a load balancer. "
        "Twenty services talked to it, and the nightly backup had been failing for weeks. "
        "I wrote a migration plan, rehearsed the cutover twice on a copy and ran it on a Sunday morning. "
        "Nobody noticed the switch, and the weekly pages stopped."
    )
    assert _opening(text) == ["result", "situation"]


def test_a_first_sentence_that_opens_on_when_it_happened_is_the_scene_not_a_headline():
    text = (
        "On Black Friday two of our six tills went down at nine, with a queue already out of the door. "
        "I was the supervisor on shift, and the store manager was off. "
        "I moved two staff onto the working tills and sent one to walk the queue with a card reader. "
        "We cleared the queue in forty minutes and nobody walked out."
    )
    got = [phase for phase, _ in phases_of(text)]
    assert got[0] == "situation"
    for opening in ("Early in my career I took over a newsletter that nobody read and got it read by half the staff.",
                    "That would be when I took over the department newsletter and got half the staff reading it."):
        evidence = gather_evidence(split_sentences(words(opening + " I was a junior in internal communications.")))
        assert evidence[0].headline_score < evidence[0].cue_scores["result"]


def test_a_habit_after_now_is_a_lesson_and_a_step_inside_a_before_clause_is_not_a_step():
    assert any(r.startswith("now i do") for r in _reasons("Now I do a proper intake call for every role.")["reflection"])
    assert not any(r.startswith("now i") for r in _reasons("Now I had to tell the client.")["reflection"])
    reasons = _reasons("But I learned to always check the audience before I hit send.")
    assert not any(r.startswith("i hit") for r in reasons["action"])


def test_a_fresh_start_in_the_past_perfect_or_progressive_restarts_the_story_after_a_headline():
    for restart in ("I'd just been made up to supervisor at a garden centre, with a team of seven.",
                    "I was designing a new checkout flow for a banking app, and Priya was the lead engineer."):
        text = (
            "So the short answer is we went from the worst stock accuracy in the region to third best. "
            f"{restart} "
            "I asked each of them to own one aisle and I checked the counts with them every Friday. "
            "By the spring audit we were third in the region."
        )
        assert _opening(text) == ["result", "situation"], restart


def test_nothing_lost_and_a_best_ever_are_outcomes():
    assert any(r.startswith("without a single missed") for r in _reasons(
        "We vaccinated ninety-one people without a single missed prescription.")["result"])
    assert "was a record" in _reasons("Which was a record for our branch.")["result"]
    assert any(r.startswith("did not lose any") for r in _reasons("We did not lose any sale that day.")["result"])
    assert "came to no harm" in _reasons("Because we caught it, the patient came to no harm.")["result"]
    assert not any("record" in r for r in _reasons("I checked her medical record for allergies.")["result"])


def test_lessons_said_with_a_contraction_an_adverb_or_a_plain_subject_are_lessons():
    assert "it's usually fear" in _reasons("I think when someone's shouting it's usually fear more than anger.")["reflection"]
    assert "i actually learned" in _reasons("The thing I actually learned was that the options were for me.")["reflection"]
    assert any(r.startswith("people mostly just want") for r in _reasons("People mostly just want you to admit it.")["reflection"])
    assert any(r.startswith("things stay with me") for r in _reasons("Two things stay with me.")["reflection"])


def test_a_deed_said_first_then_a_fresh_start_is_a_headline_without_outcome_words():
    text = (
        "I ran a webinar series that I'd promised would bring in three hundred leads, and it brought in forty. "
        "We were a small marketing team of four, selling payroll software to finance directors. "
        "I booked three guest speakers and wrote the invitations myself. "
        "Most of the people who came were administrators, not buyers. "
        "I learned to test who turns up before promising a number."
    )
    assert _opening(text) == ["result", "situation"]


def test_an_answer_that_opens_with_the_role_has_no_headline_before_the_next_scene_sentence():
    text = (
        "I spent twelve years in the Royal Signals, and my first civilian job was as a project coordinator. "
        "I'd been there about two months when the repairs system started moving to a cloud product. "
        "The project team came from three very different places, and nobody owned the handover. "
        "My manager asked me to make sure the old and new support teams were ready for the cutover. "
        "I asked each team lead for their three biggest worries and put them on one page. "
        "I ran two dry runs with both teams in the same room. "
        "The cutover went ahead on time, and the first week's tickets were down by a third."
    )
    got = [phase for phase, _ in phases_of(text)]
    assert got[0] != "result"


def test_the_written_register_of_published_answers_has_its_own_cues():
    """Phrasings common in written model answers and rare in spoken ones."""
    assert "we managed to" in _reasons("We managed to repair the compressor in record time.")["result"]
    assert "did manage to" in _reasons("I did manage to complete all of my assignments.")["result"]
    assert any(r.startswith("realised the importance of") for r in _reasons(
        "I also realised the importance of having a strong support network.")["reflection"])
    assert any(r.startswith("gained a new appreciation for") for r in _reasons(
        "I gained a new appreciation for why he acted the way he did.")["reflection"])
    assert "as a result of that experience" in _reasons(
        "As a result of that experience, I choose my battles carefully.")["reflection"]
    assert "i'd be more" in _reasons("I feel as though I'd be more willing to ask for help.")["reflection"]
    assert any("situations i encountered" in r for r in _reasons(
        "One of the most challenging situations I encountered was when a compressor failed.")["situation"])
    assert any(r.startswith("it is my responsibility to") for r in _reasons(
        "Since it takes time, it is my responsibility to decide whether a product goes ahead.")["task"])
    assert "a present-tense generalisation" in _reasons("This allows for fewer bugs in the final product.")["reflection"]


def test_an_answer_announced_as_a_situation_met_has_no_headline():
    text = (
        "One of the hardest situations I encountered as a mechanic was when a compressor failed in the night. "
        "I was the only mechanic on site. "
        "I isolated the unit, called the supplier and worked through the night on the seals. "
        "We managed to restart it by six, before the morning shift."
    )
    got = [phase for phase, _ in phases_of(text)]
    assert got[0] == "situation"
    assert got[-1] == "result"


def test_a_lesson_said_with_there_or_an_insight_named_is_a_lesson_not_a_scene():
    reasons = _reasons("and honestly the lesson there was I was measuring the wrong thing")
    assert "the lesson there" in reasons["reflection"]
    assert not any(r.startswith("there was") for r in reasons["situation"])
    assert not _reasons("So what I learned there is a champion is not a buyer.")["situation"]
    assert any(r.startswith("what i realised that day is") for r in _reasons(
        "and what I realised that day is a lot of the urgent stuff isn't")["reflection"])
    assert "i've found that" in _reasons("I've found that most difficult clients are reacting to a problem.")["reflection"]
    assert "when i look back" in _reasons("When I look back, I made the policy for the office.")["reflection"]
    assert "it works because" in _reasons("it works because we decide together now")["reflection"]
    assert any(r.startswith("you just have to") for r in _reasons(
        "I think you just have to ask what goes wrong if this waits")["reflection"])
    assert any(r.startswith("you've got to") for r in _reasons(
        "I think you've got to give the gaffer a way to say yes")["reflection"])


def test_work_landed_on_the_speaker_or_set_as_a_target_is_a_task():
    assert "fell to me" in _reasons("Until an adviser came it fell to me to decide where to search.")["task"]
    assert any(r.startswith("gave me a target") for r in _reasons(
        "My manager gave me a target of doubling registrations.")["task"])
    assert any(r.startswith("you've got two weeks to") for r in _reasons(
        "my shift manager said you've got two weeks to get the new starters up to rate")["task"])
    assert any(r.startswith("our priority was") for r in _reasons("Our priority was to establish that she was safe.")["task"])


def test_a_fronted_because_clause_with_its_main_clause_is_a_new_sentence():
    text = (
        "I was an accountant at a small practice and prepared a VAT return for a café. "
        "I coded a large equipment purchase to the wrong quarter. "
        "I spotted it while reconciling, told my manager straight away and prepared the correction. "
        "Because it was caught inside the time limit, it was corrected on the next return with no penalty."
    )
    assert [phase for phase, _ in phases_of(text)][-1] == "result"


def test_more_fresh_starts_after_an_outcome_first_sentence_mark_it_as_a_headline():
    for restart in (
        "I was on a late shift as a response officer when the call came in.",
        "I had joined the university on a one-year contract.",
        "I was second year apprentice, we were doing a rewire in an old house.",
        "Basically they were a chain of dental clinics and their contract was up.",
        "So I work in a care home for elderly people, we have forty beds.",
    ):
        text = (
            "I got the renewal signed at twice the old price, which nobody expected. "
            + restart
            + " My manager asked me to save the account. "
            "I visited every site and fixed the rota problems myself. "
            "In the end they signed for three years."
        )
        assert _opening(text) == ["result", "situation"], restart


def test_a_superlative_this_was_the_opens_a_headline_not_the_scene():
    text = (
        "This was the largest deal I closed last year, a three-year contract worth four hundred thousand pounds. "
        "I was selling our HR platform to a university with six thousand staff. "
        "My task was to get their finance team on side. "
        "I ran a pilot with two departments and built the business case with their numbers. "
        "They signed in March."
    )
    assert _opening(text) == ["result", "situation"]


def test_what_the_speaker_should_have_done_and_what_they_learn_are_lessons():
    assert "i should have" in _reasons("and honestly the lesson was I should have flagged it on the Friday")["reflection"]
    assert "i should have" not in _reasons("so then I did what I should have done at the start")["reflection"]
    assert "i should have" not in _reasons("I checked it less carefully than I should have")["reflection"]
    assert "i learn that" in _reasons("so I learn that feedback is not about me as a person")["reflection"]


def test_setting_out_to_help_a_target_and_a_must_are_task_cues():
    assert any(r.startswith("i thought i could help") for r in _reasons(
        "This was not part of my project, but I thought I could help to reduce this waiting time.")["task"])
    assert any(r.startswith("i want to see if") for r in _reasons("I want to see if I can automate that")["task"])
    assert any(r.startswith("i must to run") for r in _reasons(
        "I must to run the kitchen for both, the wedding and the restaurant")["task"])
    assert any(r.startswith("my target was") for r in _reasons(
        "my target was fifteen booked meetings a month for the account execs")["task"])
    assert "it was down to me" in _reasons("so it was down to me to deal with it")["task"]
    assert any("professional duty to" in r for r in _reasons(
        "It was his decision, but I had a professional duty to make the advice unmistakable.")["task"])


def test_where_the_speaker_worked_is_the_scene_but_what_the_job_was_is_the_task():
    assert not _reasons("so my first job out of uni was as an SDR at a software company")["task"]
    assert not _reasons("My role was in the insights team of an energy supplier.")["task"]
    assert any(r.startswith("my job was") for r in _reasons("My job was to get the contract signed by March.")["task"])


def test_a_duty_named_before_what_it_was_is_a_task():
    assert any(r.startswith("it was my duty") for r in _reasons(
        "As an assistant, I believed it was my duty, first and foremost, to learn as much as I could.")["task"])


def test_what_came_of_it_later_is_an_outcome():
    assert any(r.startswith("has since") for r in _reasons(
        "The company has since become one of my regular clients.")["result"])
    assert "since become" in _reasons("The company has since become one of my regular clients.")["result"]
    assert any(r.startswith("rolled the same approach out across") for r in _reasons(
        "I rolled the same approach out across my portfolio over the next two quarters.")["result"])
    assert "is still in place" in _reasons("The weekly scanning process is still in place.")["result"]
    assert not any(r.startswith("has") for r in _reasons("I have since then always checked the rota.")["result"])
