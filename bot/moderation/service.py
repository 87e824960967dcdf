"""Moderation as the bot uses it: per-server scanners, notes, the moderator check.

Holds the shipped rule set and one compiled :class:`Scanner` per server
(shipped rules minus the ones the server disabled, plus its own phrase
rules), rebuilt only when that server changes its rules.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.errors import PermissionDenied
from bot.moderation import learning, store
from bot.moderation.model import Model
from bot.moderation.rules import CATEGORIES, Rule, RuleSet, custom_rule, load_rules
from bot.moderation.scanner import Learned, Scanner, ScanResult

log = logging.getLogger(__name__)

MODERATOR_REFUSAL = "Only moderators (Manage Messages permission) can do this."


def require_moderator(has_manage_messages: bool) -> None:
    """The one moderator check, shared by every /mod command and case button."""
    if not has_manage_messages:
        raise PermissionDenied(MODERATOR_REFUSAL)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def knowledge_note(treatments: Iterable[Any], limit: int = 900) -> str | None:
    """What the articles say about the treatments a message names (evidence, key risks)."""
    parts = []
    for treatment in list(treatments)[:3]:
        card = getattr(treatment, "card", None)
        if card is None:
            continue
        line = f"**{treatment.name}**: evidence {card.evidence_level}"
        if card.evidence_summary:
            line += f" ({_clip(card.evidence_summary, 200)})"
        risks = list(getattr(card, "key_risks", []) or [])
        if risks:
            line += f". Key risks: {_clip('; '.join(risks), 200)}"
        line += f". See `/treatment {treatment.name}`."
        parts.append(line)
    if not parts:
        return None
    return _clip("\n".join(parts), limit)


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    enabled: bool


class Moderation:
    """Rules, the learned model and scanners for every server; no discord imports.

    Each server's scanner has the shipped rules minus those it switched off plus its own,
    its own model once it has learned from its moderators (else the shipped one), and its
    moderators' examples for the learned layer.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        model: Model | None = None,
        *,
        corpus_dir: Path | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.base = ruleset
        self.model = model
        self.corpus_dir = corpus_dir
        self.cache_dir = cache_dir
        self.default_scanner = Scanner(ruleset, model=model)
        self._scanners: dict[int, Scanner] = {}
        self._models: dict[int, Model] = {}
        # one build per server at a time: a burst of messages waits for it instead of each
        # reading the server's rules and examples again (and holding its message meanwhile)
        self._building: dict[int, asyncio.Future[Scanner]] = {}
        self._generation: dict[int, int] = {}
        self._epoch = 0  # bumped when the shipped model changes: every server's build is stale

    @classmethod
    def from_file(cls, path: str | Path, model: Model | None = None) -> Moderation:
        return cls(load_rules(path), model)

    def use_model(self, model: Model | None) -> None:
        """Switch the shipped model (loaded after start-up, off the event loop)."""
        self.model = model
        self.default_scanner = Scanner(self.base, model=model)
        self._scanners.clear()
        self._building.clear()
        self._epoch += 1

    def model_for(self, guild_id: int) -> Model | None:
        return self._models.get(guild_id, self.model)

    def invalidate(self, guild_id: int) -> None:
        self._scanners.pop(guild_id, None)
        self._building.pop(guild_id, None)
        self._generation[guild_id] = self._generation.get(guild_id, 0) + 1  # a build under way is stale

    async def refresh(self, db, guild_id: int) -> None:
        """After a change to a server's rules, examples or model: its scanner is rebuilt now, not by
        the next message (in a busy channel, many would wait for it together). The change itself is
        already saved, so a failed rebuild is only logged: the next message builds it."""
        self.invalidate(guild_id)
        try:
            await self.scanner(db, guild_id)
        except Exception:
            log.warning("the scanner of %s could not be rebuilt; its next message will", guild_id, exc_info=True)

    async def refresh_all(self, db) -> int:
        """After a member's data is deleted: every scanner that follows learned examples is rebuilt
        from what is stored now, so none from their messages is followed or shown any more."""
        guilds = sorted(g for g, scanner in self._scanners.items() if scanner.learned is not None)
        guilds += [g for g in self._building if g not in guilds]  # a build under way may have read them
        for guild_id in guilds:
            await self.refresh(db, guild_id)
        return len(guilds)

    async def _ruleset(self, db, guild_id: int) -> RuleSet:
        disabled = await store.disabled_rules(db, guild_id)
        extra = await store.custom_rules(db, guild_id, self.base.vocab)
        return self.base.plus(extra).without(disabled)

    async def scanner(self, db, guild_id: int) -> Scanner:
        scanner = self._scanners.get(guild_id)
        if scanner is not None:
            return scanner
        building = self._building.get(guild_id)
        if building is None:
            version = (self._epoch, self._generation.get(guild_id, 0))
            building = self._building[guild_id] = asyncio.ensure_future(self._build(db, guild_id, version))
        try:
            return await asyncio.shield(building)
        finally:
            if building.done() and self._building.get(guild_id) is building:
                del self._building[guild_id]

    async def warm(self, db, guild_ids) -> int:
        """Build these servers' scanners before their messages need them. Returns how many were built.

        A message whose server has no scanner yet waits for it to be built; in a burst (a busy
        server just after start-up) thousands would wait together, each holding its message.
        """
        built = 0
        for guild_id in guild_ids:
            if guild_id in self._scanners:
                continue
            try:
                await self.scanner(db, guild_id)
                built += 1
            except Exception:  # the others are still built; this one's next message tries again
                log.warning("the scanner of %s could not be built ahead of its messages", guild_id, exc_info=True)
        return built

    async def _build(self, db, guild_id: int, version: tuple[int, int]) -> Scanner:
        ruleset = await self._ruleset(db, guild_id)
        model = self.model_for(guild_id)
        examples = await learning.examples(db, guild_id) if model is not None else []
        if ruleset.rules == self.base.rules and model is self.model and not examples:
            scanner = self.default_scanner
        else:
            learned = Learned(model, examples) if examples else None
            scanner = Scanner(ruleset, model=model, learned=learned)
        if (self._epoch, self._generation.get(guild_id, 0)) == version:
            self._scanners[guild_id] = scanner  # not when the server's rules changed meanwhile
        return scanner

    # -- learning from moderators -------------------------------------------
    async def learn_from_case(self, db, case: store.Case, action: str, *, moderator_id: int | None, now) -> str | None:
        """A moderator decided a case: keep it as an example for the server. Returns the label."""
        category = case.category
        if category is None and case.content and self.model_for(case.guild_id) is not None:
            category = self.model_for(case.guild_id).score(case.content).category
        label = await learning.record_decision(
            db,
            case.guild_id,
            case_number=case.number,
            action=action,
            text=case.content,
            category=category,
            author_id=case.author_id,
            moderator_id=moderator_id,
            now=now,
        )
        if label is not None:
            await self.refresh(db, case.guild_id)
        return label

    async def teach(self, db, guild_id: int, *, text: str, label: str, moderator_id: int, now) -> int:
        count = await learning.teach(db, guild_id, text=text, label=label, moderator_id=moderator_id, now=now)
        await self.refresh(db, guild_id)
        return count

    async def drop_forgotten(self, db) -> list[int]:
        """Servers whose retrained model was made with examples since deleted (a member's data was
        deleted, and with it the server's model state): the model is dropped from memory and its
        folders from disk, and the server uses the shipped model until it is rebuilt. Returns them."""
        dropped = []
        for guild_id in sorted(self._models):
            if (await learning.state(db, guild_id)).model_hash is None:
                self._models.pop(guild_id, None)
                self.invalidate(guild_id)
                dropped.append(guild_id)
        if self.cache_dir is not None:
            await remove_unowned_models(db, Path(self.cache_dir))
        return dropped

    def _model_folder(self, guild_id: int, digest: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return Path(self.cache_dir) / f"guild-{guild_id}-{digest}"

    async def load_learned(self, db) -> int:
        """After a restart: each server's retrained model from its cache folder. Returns how many."""
        if self.model is None:
            return 0
        loaded = 0
        for guild_id in await learning.guilds_with_examples(db):
            st = await learning.state(db, guild_id)
            folder = self._model_folder(guild_id, st.model_hash) if st.model_hash else None
            if folder is not None and (folder / "model.json").is_file():
                try:
                    # Reading the arrays is file work: off the event loop.
                    self._models[guild_id] = await asyncio.to_thread(Model.load, folder, self.model.examples)
                    loaded += 1
                except (OSError, ValueError):
                    log.warning("the learned model of %s could not be read; it will be rebuilt", guild_id)
            self.invalidate(guild_id)
        return loaded

    async def retrain(self, db, guild_id: int, run, *, now) -> bool:
        """Rebuild a server's model with its examples, through ``run(fn, *args)`` (a worker process).

        Returns False when there is nothing to learn or no model to start from.
        """
        if self.model is None or self.corpus_dir is None:
            return False
        extra = await learning.examples(db, guild_id)
        if not extra:
            return False
        digest = learning.model_hash(self.model.corpus_hash, extra)
        folder = self._model_folder(guild_id, digest)
        if folder is None:
            return False
        if not (folder / "model.json").is_file():
            rows = [(e.label, e.text, e.subtype, e.source, e.weight) for e in extra]
            await run(
                learning.train_server_model, str(self.corpus_dir), rows, str(folder), self.model.thresholds.as_dict()
            )
        model = await asyncio.to_thread(Model.load, folder, self.model.examples)
        still = {(e.label, e.text, e.source) for e in await learning.examples(db, guild_id)}
        if any((e.label, e.text, e.source) not in still for e in extra):
            # some were deleted while it trained (a member's data): this model is not used or kept
            await asyncio.to_thread(shutil.rmtree, folder, True)
            return False
        self._models[guild_id] = model
        await learning.mark_trained(db, guild_id, now=now, examples=len(extra), model_hash=digest)
        await asyncio.to_thread(_remove_folders, folder.parent, guild_id, keep=digest)  # older ones, gone
        await self.refresh(db, guild_id)
        return True

    async def forget_guild(self, db, guild_id: int) -> int:
        self._models.pop(guild_id, None)
        self.invalidate(guild_id)
        return await learning.forget_guild(db, guild_id)

    async def scan(self, db, guild_id: int, text: str, *, explain: bool = False) -> ScanResult:
        return (await self.scanner(db, guild_id)).scan(text, explain=explain)

    async def rules(self, db, guild_id: int) -> list[RuleRow]:
        disabled = await store.disabled_rules(db, guild_id)
        extra = await store.custom_rules(db, guild_id, self.base.vocab)
        return [RuleRow(r, r.id not in disabled) for r in (*self.base.rules, *extra)]

    async def set_enabled(self, db, guild_id: int, rule_id: str, enabled: bool) -> bool:
        known = [row.rule.id for row in await self.rules(db, guild_id)]
        changed = await store.set_rule_enabled(db, guild_id, rule_id, enabled, known)
        await self.refresh(db, guild_id)
        return changed

    async def add_rule(
        self,
        db,
        guild_id: int,
        *,
        rule_id: str,
        category: str,
        phrases: str,
        note: str,
        severity: str = "medium",
        author_id: int,
        now: datetime,
    ) -> Rule:
        """A moderator's phrase rule. Phrases are separated by ``;`` or new lines."""
        items = [p.strip() for p in phrases.replace("\n", ";").split(";") if p.strip()]
        if category not in CATEGORIES:
            category = next(
                (k for k, v in CATEGORIES.items() if v.casefold() == category.casefold()), category
            )
        rule = custom_rule(rule_id.strip().lower(), category, items, note, severity, self.base.vocab)
        await store.add_custom_rule(db, guild_id, rule, self.base, author_id=author_id, now=now)
        await self.refresh(db, guild_id)
        return rule


def models_dir(database: Path | str) -> Path:
    """Where servers' retrained models are kept: a folder beside the database."""
    return Path(database).resolve().parent / "models"


async def remove_unowned_models(db, folder: Path) -> int:
    """Delete the model folders of servers that have no model state (it is deleted with examples
    it learned from, e.g. a member's data): nothing trained on deleted messages stays on disk.
    Returns how many servers' folders went."""
    owners = await asyncio.to_thread(_model_owners, folder)
    gone = [g for g in sorted(owners) if (await learning.state(db, g)).model_hash is None]
    for guild_id in gone:
        await asyncio.to_thread(_remove_folders, folder, guild_id, keep=None)
    return len(gone)


def _model_owners(folder: Path) -> set[int]:
    """The servers with a model folder in ``folder``."""
    owners = set()
    for path in folder.glob("guild-*-*") if folder.is_dir() else ():
        try:
            owners.add(int(path.name.split("-")[1]))
        except ValueError:
            continue
    return owners


def _remove_folders(folder: Path, guild_id: int, *, keep: str | None) -> None:
    """Delete a server's model folders in ``folder``, but the one for the ``keep`` digest."""
    for path in folder.glob(f"guild-{guild_id}-*"):
        if path.is_dir() and path.name != f"guild-{guild_id}-{keep}":
            shutil.rmtree(path, ignore_errors=True)
