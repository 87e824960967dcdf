import signal

from bot.workers import ProcessWorker


async def test_the_worker_process_leaves_ctrl_c_to_the_bot():
    # Started as a background job, this process may itself ignore SIGINT: give it the default.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    worker = ProcessWorker()
    try:
        assert await worker.run(signal.getsignal, signal.SIGINT) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the bot's own is unchanged
    finally:
        worker.close()
        signal.signal(signal.SIGINT, before)
