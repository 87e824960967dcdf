"""A generated article library in the project's article format, for scale benchmarks.

Each article covers one invented treatment (unique generic name, brand names, a
misspelling) in about ten ``##`` sections of several sentences, drawn from
varied vocabulary so a full-text index over 1,000 articles looks like a real
one: common words everywhere, rarer medical terms in some sections only.
Generation is deterministic (seeded), so runs are comparable.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bot.knowledge.articles import render, slugify

FORMAT_VERSION = 2

_ONSETS = ["zo", "ra", "ve", "mi", "ta", "lo", "pre", "ga", "be", "du", "ni", "ka", "sa", "fe", "cy", "tri"]
_MIDDLES = ["pra", "bra", "li", "ro", "ti", "ge", "xa", "mo", "ne", "qui", "la", "de", "pe", "vo", "si", "ru"]
_ENDS = ["pine", "zole", "mab", "pam", "tine", "xone", "lol", "dine", "fen", "sartan", "vir", "mide", "nol"]
_BRAND_A = ["Neu", "Rest", "Cal", "Som", "Dor", "Lev", "Quie", "Ser", "Tran", "Vel", "Zen", "Mir", "Nox"]
_BRAND_B = ["ra", "ix", "ova", "ex", "al", "on", "yl", "ia", "era", "ux", "ent", "ax"]
_CLASSES = [
    "dopamine agonist",
    "anticonvulsant",
    "muscle relaxant",
    "iron supplement",
    "opioid",
    "benzodiazepine",
    "NMDA antagonist",
    "alpha-2-delta ligand",
    "antihistamine",
    "herbal extract",
    "vitamin supplement",
    "sedative",
    "beta blocker",
    "calcium channel blocker",
    "magnesium salt",
]
_RECEPTORS = [
    "dopamine D2",
    "dopamine D3",
    "NMDA",
    "GABA-B",
    "GABA-A",
    "mu-opioid",
    "alpha-2-delta",
    "adenosine",
    "serotonin 5-HT2A",
    "glutamate",
    "histamine H1",
    "orexin",
]
_CONDITIONS = [
    "Parkinson's disease",
    "epilepsy",
    "neuropathic pain",
    "spasticity",
    "anxiety",
    "insomnia",
    "migraine",
    "iron deficiency anaemia",
    "fibromyalgia",
    "multiple sclerosis",
    "Alzheimer's disease",
    "hypertension",
]
_SIDE_EFFECTS = [
    "drowsiness",
    "dizziness",
    "nausea",
    "headache",
    "constipation",
    "dry mouth",
    "fatigue",
    "confusion",
    "weight gain",
    "blurred vision",
    "insomnia",
    "vivid dreams",
    "swelling of the ankles",
    "low blood pressure",
    "muscle weakness",
    "hallucinations",
    "compulsive behaviour",
    "skin rash",
    "stomach upset",
    "tremor",
]
_RISKS = [
    "augmentation",
    "dependence",
    "withdrawal symptoms",
    "respiratory depression",
    "seizures when stopped",
    "interactions with alcohol",
    "falls in older adults",
    "impulse control disorders",
    "liver problems",
    "kidney impairment",
    "serotonin syndrome",
    "daytime sleepiness while driving",
]
_STUDY_WORDS = [
    "randomised",
    "double-blind",
    "placebo-controlled",
    "open-label",
    "pilot",
    "crossover",
    "retrospective",
    "observational",
    "multicentre",
    "small",
]
_AUTHORS = [
    "Hudson Bellamy",
    "James Hines",
    "Maria Lopez",
    "Priya Nair",
    "Tom Becker",
    "Aiko Tanaka",
    "Lena Novak",
    "Sam Okafor",
    "Ines Duarte",
    "Oliver Grant",
    "Fatima Haddad",
    "Noah Fischer",
]

SECTION_PLANS: list[tuple[list[str], str]] = [
    (["An Introduction to {name} and RLS", "Introduction", "What Is {name}?", "Overview of {name}"], "intro"),
    (["How {name} Works", "Understanding How {name} Works", "Mechanism of Action"], "mechanism"),
    (
        ["Studies and Clinical Trials on {name}", "What the Research Says", "Evidence for {name} in RLS"],
        "evidence",
    ),
    (["Side Effects of {name}", "Common Side Effects", "Adverse Effects to Watch For"], "side_effects"),
    (["Risks and Precautions", "Safety Concerns", "Who Should Avoid {name}"], "risks"),
    (["Dosage and Timing", "How {name} Is Taken", "Finding the Right Dose"], "dosage"),
    (["Drug Interactions", "Combining {name} with Other Medications"], "interactions"),
    (["Stopping {name} Safely", "Withdrawal and Tapering"], "stopping"),
    (["Living with RLS While Taking {name}", "Personal Experiences", "Sleep and Daily Life"], "experience"),
    (["Talking to Your Doctor", "Discussing {name} with Your Healthcare Provider", "Conclusion"], "doctor"),
]

TEMPLATES: dict[str, list[str]] = {
    "intro": [
        "{name} is a {cls} that is commonly used to treat {condition}.",
        "Some people with restless legs syndrome have tried {name} when first-line options stopped helping.",
        "Restless legs syndrome causes an irresistible urge to move the legs, usually in the evening.",
        "{name} is sold under the brand names {brands}.",
        "It was first approved for {condition} and later studied in RLS.",
        "This article looks at what is known about {name}, its benefits and its limits.",
    ],
    "mechanism": [
        "{name} is thought to work by acting on {receptor} receptors in the brain.",
        "By blocking {receptor} signalling it may calm overactive nerves in the spinal cord.",
        "Researchers believe the drug changes how sensory signals from the legs are processed.",
        "The effect usually begins within {hours} hours of a dose.",
        "Its action on {receptor} receptors may also explain why it helps with {condition}.",
        "Iron levels in the brain influence dopamine, which is one reason ferritin is checked first.",
    ],
    "evidence": [
        "A {study} trial with {n} participants reported fewer symptoms after {weeks} weeks on {name}.",
        "Evidence for {name} in RLS is limited to a few {study} studies.",
        "One {study} study found improvement on the international rating scale compared with placebo.",
        "Larger trials are still needed before {name} can be recommended widely.",
        "A review of {n} patients treated with {name} described benefit in about half of them.",
        "Results in animal studies were encouraging but have not been confirmed in people.",
    ],
    "side_effects": [
        "Common side effects of {name} include {effect1} and {effect2}.",
        "Some people notice {effect3}, especially in the first weeks.",
        "Less often, {name} can cause {effect2} or {effect4}.",
        "Side effects are usually mild and fade as the body adjusts.",
        "Report {effect4} to your doctor straight away.",
    ],
    "risks": [
        "The main concern with {name} is {risk1}.",
        "{name} can increase the risk of {risk2}, so it is not suitable for everyone.",
        "People with {condition} should use it with caution.",
        "Long-term use has been linked to {risk1} in a minority of patients.",
        "Avoid driving until you know how {name} affects you.",
    ],
    "dosage": [
        "Doses for RLS are usually lower than for {condition}, often {mg} mg taken in the evening.",
        "Take {name} about {hours} hours before symptoms usually start.",
        "Your doctor may raise the dose slowly to limit {effect1}.",
        "Never change the dose of {name} without medical advice.",
    ],
    "interactions": [
        "{name} may interact with opioids, antihistamines and alcohol.",
        "Combining it with other sedatives increases {effect1}.",
        "Tell your pharmacist about every medication and supplement you take.",
        "Antidepressants can worsen RLS and may change how {name} works.",
    ],
    "stopping": [
        "Stopping {name} abruptly can cause withdrawal symptoms such as {effect3}.",
        "A slow taper over {weeks} weeks is usually recommended.",
        "Discontinuing it suddenly may bring back RLS symptoms worse than before.",
        "Plan any change with your doctor and keep a symptom diary while tapering.",
    ],
    "experience": [
        "Many members describe better sleep in the first month on {name}.",
        "Others found the benefit faded, a sign of tolerance or augmentation.",
        "Walking, stretching and warm baths help some people alongside medication.",
        "Keeping a diary of symptoms and sleep makes patterns easier to see.",
        "Caffeine and late meals make symptoms worse for several people.",
    ],
    "doctor": [
        "If you are considering {name}, discuss the benefits and risks with your healthcare provider.",
        "Ask your doctor to check your ferritin before trying new medication.",
        "Bring your symptom diary to the appointment.",
        "Your physician can tell you whether {name} is safe with your other conditions.",
        "{name} is not a cure, but for some people it makes the evenings bearable.",
    ],
}


@dataclass(frozen=True)
class GeneratedTreatment:
    name: str
    slug: str
    aliases: tuple[str, ...]
    terms: tuple[str, ...]  # a few words its article uses (for realistic questions)


def _treatment_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        parts = [rng.choice(_ONSETS)] + [rng.choice(_MIDDLES) for _ in range(rng.randint(1, 2))]
        name = ("".join(parts) + rng.choice(_ENDS)).capitalize()
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _misspell(name: str, rng: random.Random) -> str:
    word = name.casefold()
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def _fill(template: str, ctx: dict[str, str], rng: random.Random) -> str:
    values = dict(ctx)
    values.update(
        n=str(rng.randint(12, 400)),
        weeks=str(rng.choice([2, 4, 6, 8, 12, 16])),
        hours=str(rng.choice([1, 2, 3])),
        mg=str(rng.choice([0.125, 0.25, 5, 10, 75, 100, 300])),
        study=rng.choice(_STUDY_WORDS),
    )
    return template.format(**values)


def generate_article(index: int, name: str, rng: random.Random) -> tuple[str, GeneratedTreatment]:
    slug = slugify(name)
    brands = [rng.choice(_BRAND_A) + rng.choice(_BRAND_B) + str(index) for _ in range(rng.randint(1, 2))]
    aliases = [*brands, _misspell(name, rng)]
    effects = rng.sample(_SIDE_EFFECTS, 4)
    risks = rng.sample(_RISKS, 2)
    ctx = {
        "name": name,
        "brands": " and ".join(brands),
        "cls": rng.choice(_CLASSES),
        "receptor": rng.choice(_RECEPTORS),
        "condition": rng.choice(_CONDITIONS),
        "effect1": effects[0],
        "effect2": effects[1],
        "effect3": effects[2],
        "effect4": effects[3],
        "risk1": risks[0],
        "risk2": risks[1],
    }
    sections = []
    for headings, kind in SECTION_PLANS:
        heading = rng.choice(headings).format(name=name)
        pool = TEMPLATES[kind]
        count = rng.randint(max(3, len(pool) - 2), len(pool))
        sentences = [_fill(t, ctx, rng) for t in rng.sample(pool, count)]
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        sections.append((heading, "\n\n".join(paragraphs)))
    day = date(2021, 1, 1) + timedelta(days=rng.randrange(1200))
    meta = {
        "title": f"{name} and Restless Legs Syndrome: What We Know",
        "author": rng.choice(_AUTHORS),
        "date": day.isoformat(),
        "source": f"https://example.org/articles/{slug}",
        "treatment": {"name": name, "slug": slug, "aliases": aliases},
    }
    terms = (effects[0], effects[1], risks[0], ctx["receptor"], ctx["condition"])
    return render(meta, sections), GeneratedTreatment(name, slug, tuple(aliases), terms)


def generate(directory: Path, count: int, seed: int = 5) -> list[GeneratedTreatment]:
    """Write ``count`` articles into ``directory``; returns what each covers."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    treatments = []
    for i, name in enumerate(_treatment_names(count, rng)):
        text, treatment = generate_article(i, name, rng)
        (directory / f"{treatment.slug}.md").write_text(text, encoding="utf-8")
        treatments.append(treatment)
    return treatments


def corpus(count: int, seed: int = 5) -> tuple[Path, list[GeneratedTreatment]]:
    """A generated library of ``count`` articles, cached in the temp directory between runs."""
    directory = Path(tempfile.gettempdir()) / f"rls-bench-corpus-v{FORMAT_VERSION}-{count}-{seed}"
    if directory.is_dir() and len(list(directory.glob("*.md"))) == count:
        rng = random.Random(seed)
        treatments = [
            generate_article(i, name, rng)[1] for i, name in enumerate(_treatment_names(count, rng))
        ]
        return directory, treatments
    shutil.rmtree(directory, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=directory.name + ".", dir=directory.parent))
    treatments = generate(tmp, count, seed)
    try:
        tmp.rename(directory)
    except OSError:  # another run wrote the same library first
        shutil.rmtree(tmp, ignore_errors=True)
    return directory, treatments
