"""A run releases the GIL: a Python thread keeps working while pluri simulates."""

import threading
import time

import pluri


def test_a_python_thread_makes_progress_while_a_run_simulates(small):
    scenario = pluri.Scenario.from_file(small)
    # Without a callback, the run holds the GIL only to look for Ctrl-C between weeks.
    stop = threading.Event()
    ticks = []

    def count():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        started = time.perf_counter()
        pluri.run(scenario, seed=1, weeks=520, progress=False)
        ended = time.perf_counter()
    finally:
        stop.set()
        counter.join()
    during = [t for t in ticks if started <= t <= ended]
    # A thread starved of the GIL would tick a handful of times (the switch interval is
    # 5 ms, but a run holding the GIL never lets it in); a free one ticks about every ms.
    assert ended - started > 0.05, "the run is too short to tell"
    assert len(during) >= max(10, 0.2 * (ended - started) / 0.001), (len(during), ended - started)
