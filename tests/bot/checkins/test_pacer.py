import pytest

from bot.checkins.pacer import Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_pacer_never_exceeds_its_rate_in_any_second():
    fake = FakeTime()
    # Discord allows 50 requests/s: 40/s with a burst of 10 keeps every 1 s window at ≤ 50.
    pacer = Pacer(rate=40, burst=10, clock=fake.clock, sleep=fake.sleep)
    stamps = []
    for _ in range(500):
        await pacer.acquire()
        stamps.append(fake.now)
    assert stamps[-1] == pytest.approx((500 - 10) / 40, abs=0.01)
    for i, start in enumerate(stamps):
        in_window = sum(1 for s in stamps[i:] if s < start + 1.0)
        assert in_window <= 50


async def test_concurrent_callers_get_slots_in_call_order_and_a_429_pushes_them_back():
    fake = FakeTime()
    pacer = Pacer(rate=10, burst=1, clock=fake.clock, sleep=fake.sleep)
    assert [pacer.reserve() for _ in range(5)] == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    fake.now += 0.4  # every reserved slot has been used
    assert pacer.reserve() == pytest.approx(0.1)
    fake.now += 0.1
    pacer.penalise(2.0)
    before = fake.now
    await pacer.acquire()
    assert fake.now - before >= 2.0


def test_pacer_rejects_nonsense():
    with pytest.raises(ValueError):
        Pacer(rate=0)
