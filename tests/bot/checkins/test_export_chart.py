import csv
import io
import struct
from datetime import UTC, date, datetime, timedelta

from bot.checkins import chart, export, stats
from bot.checkins.entries import Checkin

TODAY = date(2026, 2, 1)


def sample(n: int = 40) -> list[Checkin]:
    return [
        Checkin(
            user_id=1,
            local_date=TODAY - timedelta(days=d),
            severity=(d * 3) % 11,
            sleep_hours=4 + d % 5 if d % 4 else None,
            onset=["evening", "bedtime", None][d % 3],
            treatments="iron" if d > 20 else "iron, pramipexole",
            side_effects="nausea" if d == 3 else None,
            note="=cmd|' /C calc'!A0" if d == 5 else ('a, "quoted"\nline' if d == 6 else None),
            created_at=datetime(2026, 1, 1, tzinfo=UTC).isoformat(),
            updated_at=datetime(2026, 1, 1, tzinfo=UTC).isoformat(),
        )
        for d in range(n)
    ]


def test_csv_has_documented_columns_one_row_per_checkin_and_iso_dates():
    rows = sample()
    text = export.to_csv(rows).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert tuple(table[0].keys()) == export.CSV_COLUMNS
    assert len(table) == len(rows)
    assert [r["date"] for r in table] == sorted(r["date"] for r in table)
    assert all(date.fromisoformat(r["date"]) for r in table)
    for column in export.CSV_COLUMNS:
        assert column in export.__doc__
    by_date = {r["date"]: r for r in table}
    assert by_date[(TODAY - timedelta(days=6)).isoformat()]["note"] == 'a, "quoted"\nline'
    # A formula-looking note can't run in a spreadsheet.
    assert by_date[(TODAY - timedelta(days=5)).isoformat()]["note"].startswith("'=")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def not_blank(data: bytes) -> bool:
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(data))
    return (
        float(pixels.std()) > 0.02
        and len({tuple(p) for p in pixels.reshape(-1, pixels.shape[-1])[::97]}) > 20
    )


def test_history_chart_is_a_real_png():
    rows = sample()
    summary = stats.summarise(rows, TODAY, 30)
    assert summary.changes  # treatment change marked
    data = chart.render_history_chart(rows, summary)
    assert png_size(data) == (1000, 500)
    assert not_blank(data)
    assert 10_000 < len(data) < 1_000_000


def test_history_chart_for_a_year_and_an_empty_window():
    rows = sample(365)
    assert png_size(chart.render_history_chart(rows, stats.summarise(rows, TODAY, 365))) == (1000, 500)
    empty = chart.render_history_chart([], stats.summarise([], TODAY, 7))
    assert png_size(empty) == (1000, 500)


def test_doctor_summary_is_one_a4_page():
    rows = sample()
    data = chart.render_doctor_summary(rows, stats.summarise(rows, TODAY, 90), TODAY)
    width, height = png_size(data)
    assert (width, height) == (827, 1169)
    assert not_blank(data)


def test_member_text_with_dollar_signs_is_drawn_literally():
    rows = sample(20)
    hostile = ["iron $$", "$\\frac{1}{0}$", "x^2 $ \\alpha", "$$$", "a_b$c^d$"]
    rows = [
        Checkin(**{**r.__dict__, "treatments": hostile[i % len(hostile)], "note": hostile[-1 - i % 5]})
        for i, r in enumerate(rows)
    ]
    summary = stats.summarise(rows, TODAY, 30)
    assert summary.changes, "treatment changes are annotated on the chart"
    assert chart.render_history_chart(rows, summary).startswith(b"\x89PNG")
    assert chart.render_doctor_summary(rows, summary, TODAY).startswith(b"\x89PNG")


def test_history_chart_labels_stay_inside_its_fixed_margins():
    # the margins are fixed rather than measured on every chart: every label must still fit
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for days, span in ((40, 7), (40, 30), (365, 90), (365, 365), (0, 7)):
        rows = sample(days)
        fig = chart._figure(10, 5)
        ax = fig.add_subplot(1, 1, 1)
        chart._draw(ax, rows, stats.summarise(rows, TODAY, span), text=chart.TEXT)
        fig.subplots_adjust(**chart.HISTORY_MARGINS)
        renderer = FigureCanvasAgg(fig).get_renderer()
        inside = fig.bbox
        for axes in fig.axes:
            box = axes.get_tightbbox(renderer)
            assert box.x0 >= inside.x0 and box.y0 >= inside.y0, (span, box)
            assert box.x1 <= inside.x1 and box.y1 <= inside.y1, (span, box)
