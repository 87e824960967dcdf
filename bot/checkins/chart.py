"""Charts: severity and sleep over time, and a one-page doctor summary.

matplotlib (Agg) is imported inside the drawing functions, which are
synchronous: callers run them in a thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta

from bot.checkins.entries import Checkin, entry_details
from bot.checkins.stats import Summary, summary_lines

# Mid-tone colours read on both Discord's dark and light themes.
TEXT = "#8a8f98"
GRID = "#8a8f9855"
SEVERITY = "#e8743b"
SLEEP = "#4a90d9"
CHANGE = "#a66bbe"

# Figures are independent, but matplotlib's font and text caches are shared:
# draw one chart at a time (each takes well under a second).
_DRAW_LOCK = threading.Lock()
# The history chart's margins (figure fractions), fixed: its labels never change size (severity
# 0-10, sleep 0-13, dates with at most one line of context), so measuring them on every chart
# (tight_layout, a third of the drawing time) always gave these.
HISTORY_MARGINS = {"left": 0.063, "right": 0.937, "top": 0.927, "bottom": 0.114}


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg", force=False)
    # Members' words are drawn literally: "iron $$" is text, not a formula to parse.
    matplotlib.rcParams["text.parse_math"] = False
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def weekly_mean(entries: list[Checkin]) -> tuple[list[date], list[float]]:
    """Average severity of the check-ins in the 7 days ending on each check-in's day."""
    days, means = [], []
    for i, entry in enumerate(entries):
        window = [e.severity for e in entries[: i + 1] if (entry.local_date - e.local_date).days < 7]
        days.append(entry.local_date)
        means.append(sum(window) / len(window))
    return days, means


def _draw(ax, entries: list[Checkin], summary: Summary, *, text: str) -> None:
    import matplotlib.dates as mdates

    start, end = summary.start, summary.end
    in_window = [e for e in entries if start <= e.local_date <= end]
    ax2 = ax.twinx()
    sleep_points = [(e.local_date, e.sleep_hours) for e in in_window if e.sleep_hours is not None]
    if sleep_points and summary.days <= 90:
        ax2.bar(
            [d for d, _ in sleep_points],
            [h for _, h in sleep_points],
            width=0.8,
            color=SLEEP,
            alpha=0.35,
            label="sleep (h)",
            zorder=1,
        )
    elif sleep_points:
        # A year of bars is hundreds of patches (slow to draw); one stepped area looks the same,
        # with gaps on the days no sleep was logged.
        by_day = dict(sleep_points)
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        ax2.fill_between(
            days,
            [by_day.get(d, 0.0) for d in days],
            where=[d in by_day for d in days],
            step="mid",
            color=SLEEP,
            alpha=0.35,
            linewidth=0,
            label="sleep (h)",
            zorder=1,
        )
    ax2.set_ylim(0, 13)
    ax2.set_ylabel("sleep (hours)", color=SLEEP)
    if in_window:
        long_view = summary.days > 30
        ax.plot(
            [e.local_date for e in in_window],
            [e.severity for e in in_window],
            color=SEVERITY,
            marker=None if long_view else "o",
            markersize=4,
            linewidth=1 if long_view else 2,
            alpha=0.45 if long_view else 1.0,
            label="severity",
            zorder=3,
        )
        if long_view:
            days, means = weekly_mean(in_window)
            ax.plot(days, means, color=SEVERITY, linewidth=2.5, label="7-day average", zorder=4)
    for change in summary.changes:
        ax.axvline(change.day, color=CHANGE, linestyle="--", linewidth=1.2, zorder=2)
        ax.annotate(
            change.label[:30],
            (change.day, 10.2),
            parse_math=False,
            color=CHANGE,
            fontsize=8,
            rotation=90,
            va="top",
            ha="right",
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "#80808040", "edgecolor": "none"},
        )
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_ylim(-0.3, 11.4)  # room above 10 for the legend
    ax.set_xlim(start - timedelta(days=1), end + timedelta(days=1))
    ax.set_ylabel("severity (0–10)", color=SEVERITY)
    ax.grid(True, color=GRID, linewidth=0.6)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for axis in (ax, ax2):
        axis.tick_params(colors=text, labelcolor=text)
        for spine in axis.spines.values():
            spine.set_color(text)
    ax.set_title(f"RLS diary: {start.isoformat()} to {end.isoformat()}", color=text)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    if handles:
        ax.legend(
            handles=handles, loc="upper left", fontsize=8, ncols=len(handles), frameon=False, labelcolor=text
        )
    if not in_window:
        ax.text(0.5, 0.5, "no check-ins in this period", transform=ax.transAxes, ha="center", color=text)


def render_history_chart(entries: list[Checkin], summary: Summary) -> bytes:
    """A PNG (1000×500) with a transparent background and mid-grey text."""
    with _DRAW_LOCK:
        return _history_png(entries, summary)


def _history_png(entries: list[Checkin], summary: Summary) -> bytes:
    fig = _figure(10, 5)
    ax = fig.add_subplot(1, 1, 1)
    _draw(ax, entries, summary, text=TEXT)
    fig.subplots_adjust(**HISTORY_MARGINS)
    out = io.BytesIO()
    fig.savefig(out, format="png", transparent=True)
    return out.getvalue()


def render_doctor_summary(entries: list[Checkin], summary: Summary, generated: date) -> bytes:
    """A one-page A4 portrait PNG (white, printable): numbers, chart and treatments."""
    with _DRAW_LOCK:
        return _doctor_png(entries, summary, generated)


def _doctor_png(entries: list[Checkin], summary: Summary, generated: date) -> bytes:
    import textwrap

    fig = _figure(8.27, 11.69)
    fig.patch.set_facecolor("white")
    dark = "#222222"
    fig.text(0.07, 0.955, "Restless legs symptom diary: summary for a doctor visit", fontsize=14, color=dark,
             weight="bold")  # fmt: skip
    fig.text(
        0.07, 0.93,
        f"Period {summary.start.isoformat()} to {summary.end.isoformat()} · generated {generated.isoformat()} · "
        "self-reported, severity 0 (none) to 10 (worst)",
        fontsize=8, color="#555555",
    )  # fmt: skip
    ax = fig.add_axes((0.09, 0.56, 0.80, 0.33))
    _draw(ax, entries, summary, text=dark)
    body = []
    for line in summary_lines(summary, for_doctor=True):
        body.extend(textwrap.wrap(line, 95) or [""])
    recent = [e for e in entries if summary.start <= e.local_date <= summary.end][-8:]
    if recent:
        body.append("")
        body.append("Most recent entries:")
        for e in reversed(recent):
            bits = [e.local_date.isoformat(), *entry_details(e)]
            body.extend(textwrap.wrap(" · ".join(bits), 95, subsequent_indent="    "))
    fig.text(0.07, 0.50, "\n".join(body[:40]), fontsize=8.5, color=dark, va="top", family="DejaVu Sans",
             linespacing=1.5, parse_math=False)  # fmt: skip
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor="white")
    return out.getvalue()
