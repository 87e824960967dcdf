"""A realistic message mix for a support server: what the claim scanner sees all day.

Roughly 80% ordinary chat (greetings, sleep, weather, jokes, links), 10%
questions about treatments, 8% lived experience (which often names a drug,
a dose or the words "cure" or "stop" without making a claim) and 2% claims
the rules exist for. Messages are assembled from parts so there are
thousands of distinct texts, with realistic noise: capitals, emoji (in about
a third of messages),
repeated letters, URLs, lengths from a word to a long paragraph.
"""

from __future__ import annotations

import random

DRUGS = [
    "ropinirole",
    "pramipexole",
    "gabapentin",
    "pregabalin",
    "baclofen",
    "memantine",
    "iron",
    "magnesium",
    "tramadol",
    "methadone",
    "rotigotine patch",
    "clonazepam",
    "horizant",
    "ferritin infusion",
    "neupro",
    "requip",
    "mirapex",
    "lyrica",
    "vitamin d",
    "oxycodone",
]
CHAT = [
    "good morning everyone",
    "morning all ☕",
    "hi! new here, been lurking for a while",
    "ugh what a night",
    "finally slept 6 hours straight!!",
    "anyone else up at 3am again",
    "my cat keeps sitting on my legs lol",
    "it's raining here all week",
    "thanks so much for the welcome 💜",
    "haha same",
    "lol",
    "yes!",
    "that made me laugh",
    "going for a walk before dinner",
    "does anyone watch the new season of that baking show",
    "sending hugs to everyone having a rough night",
    "happy friday folks",
    "I tried that stretching video someone posted, it was nice",
    "brb making tea",
    "my husband says I kick all night haha",
    "hot bath helped a bit tonight",
    "here's the article I mentioned https://example.org/rls-sleep-tips",
    "can't believe it's already november",
    "the weather is killing me, so humid",
    "I'm dying to try that new café",
    "this server is the best, honestly",
    "long day at work, legs are tired",
    "who else is watching the match tonight?",
    "anyone have tips for long car rides?",
    "just got back from the dentist",
    "happy birthday @sam!! 🎂",
    "welcome to the group!",
    "that's so true",
    "I read somewhere that compression socks help, not sure",
    "my legs are jumping like crazy tonight",
    "ok goodnight everyone, wish me luck 😴",
    "the kids are finally asleep",
    "yoga class was hard today",
    "pizza night!",
    "I need a holiday",
    "it's been a week since my last bad night 🎉",
    "anyone else find winter worse?",
]
QUESTIONS = [
    "does {drug} make anyone else drowsy?",
    "how long did {drug} take to work for you?",
    "is it safe to take {drug} with antihistamines?",
    "what dose of {drug} did your doctor start you on?",
    "has anyone had augmentation on {drug}?",
    "should I ask my doctor about {drug}?",
    "what does the research say about {drug} for rls?",
    "can {drug} cause weight gain?",
    "is {drug} addictive?",
    "anyone tried {drug} and {drug2} together?",
    "does wifi really cause rls? saw it on facebook",
    "is there a cure for rls?",
    "what helps on long flights?",
    "how do I get my ferritin checked?",
]
EXPERIENCE = [
    "I've been on {drug} for {n} months, it helps but I get {effect}",
    "my neurologist switched me from {drug} to {drug2} last year",
    "I stopped {drug} cold turkey years ago and it was awful, don't recommend",
    "{drug} worked great for a year then augmentation hit hard",
    "iron infusion last week, ferritin went from 30 to 180",
    "my doctor said there's no cure but {drug} keeps it manageable",
    "tried magnesium, didn't do anything for me honestly",
    "the {drug} made me so dizzy I had to stop, my doctor tapered me off",
    "since I started {drug} I sleep about {n} hours, which is huge",
    "I take {drug} at 8pm and symptoms usually stay away till midnight",
    "no evidence 5g causes rls, my doctor laughed when I asked",
    "they say big pharma hides cures but honestly I just want sleep lol",
]
CLAIMS = [
    "magnesium oil is a MIIIRACLE cure, everyone should try it",
    "5g towers are what cause rls, wake up people",
    "big pharma is hiding the cure for rls because pills make more money",
    "just stop taking your {drug} cold turkey, you'll be fine",
    "double your dose of {drug}, no need to ask your doctor",
    "{drug} works even better with a glass of wine",
    "My magnesium spray stops RLS in minutes! Use my code LEGS20 for 20% off",
    "this tea cures rls in a week, 100% guaranteed",
    "the vaccine gave me rls, vaccines cause rls for everyone",
    "DM me to order the calming patches",
]
EFFECTS = ["nausea", "headaches", "dizziness", "weird dreams", "brain fog", "constipation"]
EMOJI = [" 😩", " 💜", " 🙏", " 😂", " 😴", " 👍"]


def _fill(template: str, rng: random.Random) -> str:
    drug, drug2 = rng.sample(DRUGS, 2)
    return template.format(drug=drug, drug2=drug2, n=rng.randint(1, 24), effect=rng.choice(EFFECTS))


def _noise(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.1:
        text = text.upper()
    elif r < 0.3:
        text = text.capitalize()
    if rng.random() < 0.05:
        text = text.replace("o", "oo", 1)
    return text + rng.choice(EMOJI) if rng.random() < 0.2 else text


def message(rng: random.Random) -> tuple[str, str]:
    """One message and its kind: chat, question, experience or claim."""
    r = rng.random()
    if r < 0.80:
        kind, parts = "chat", [rng.choice(CHAT) for _ in range(rng.choices([1, 2, 3, 6], [60, 25, 10, 5])[0])]
        text = ". ".join(parts)
    elif r < 0.90:
        kind, text = "question", _fill(rng.choice(QUESTIONS), rng)
    elif r < 0.98:
        kind, text = "experience", _fill(rng.choice(EXPERIENCE), rng)
        if rng.random() < 0.3:
            text = rng.choice(CHAT) + ". " + text
    else:
        kind, text = "claim", _fill(rng.choice(CLAIMS), rng)
    return _noise(text, rng), kind


def messages(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [message(rng)[0] for _ in range(count)]


def labelled(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [message(rng) for _ in range(count)]
