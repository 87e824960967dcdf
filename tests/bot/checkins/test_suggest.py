from bot.checkins.suggest import known_treatment_names, treatment_suggestions


class Knowledge:
    """A tiny stand-in with the knowledge base's lookup interface."""

    class T:
        def __init__(self, name):
            self.name = name

    def __init__(self):
        self.items = {"iron": self.T("Iron"), "gabapentin": self.T("Gabapentin")}

    def treatments(self):
        return list(self.items.values())

    def suggest(self, text, limit=25):
        return [(t.name, slug) for slug, t in self.items.items() if text.casefold() in slug][:limit]

    def get(self, slug):
        return self.items.get(slug)


def test_own_entries_first_then_known_and_the_typed_text_is_kept():
    past = ["Gabapentin 300 mg, iron", "Gabapentin 300 mg", "iron"]
    out = treatment_suggestions("gaba", past, ["Gabapentin"])
    assert out == ["gaba", "Gabapentin 300 mg, iron", "Gabapentin 300 mg", "Gabapentin"]


def test_completes_the_last_item_of_a_list_and_skips_items_already_typed():
    out = treatment_suggestions("iron, gab", ["iron", "Gabapentin 300 mg"], ["Iron", "Gabapentin"])
    assert "iron, Gabapentin 300 mg" in out and "iron, Gabapentin" in out
    assert all(not v.casefold().endswith(", iron") for v in out)


def test_fits_discord_limits():
    many = [f"treatment {i}" for i in range(100)]
    out = treatment_suggestions("", many, [])
    assert len(out) == 25
    long = treatment_suggestions("x" * 150, ["x" * 150], [])
    assert long == []
    assert all(len(v) <= 100 for v in treatment_suggestions("a" * 95 + ", t", many, []))


def test_known_names_from_the_knowledge_base():
    kb = Knowledge()
    assert known_treatment_names(kb, "") == ["Iron", "Gabapentin"]
    assert known_treatment_names(kb, "gaba") == ["Gabapentin"]
    assert known_treatment_names(None, "gaba") == []
