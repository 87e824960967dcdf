import signal

from bot.workers import ProcessWorker


async def test_the_worker_process_leaves_ctrl_c_to_the_bot():
    worker = ProcessWorker()
    try:
        assert await worker.run(signal.getsignal, signal.SIGINT) == signal.SIG_IGN
    finally:
        worker.close()
    assert signal.getsignal(signal.SIGINT) != signal.SIG_IGN  # the bot's own process is unchanged
