"""The extraction pool of `--n-process`: batches run in other processes, which inherit the loaded model."""

import os

from spacy.language import Language

from flows import workers
from flows.settings import Settings
from transforms.nlp import load_pipeline


def _pipeline_cache() -> tuple[int, int]:
    """In the worker: how many pipelines its ``load_pipeline`` cache holds, and how often it was hit."""
    info = load_pipeline.cache_info()
    return info.currsize, info.hits


def test_batches_run_in_worker_processes_that_already_hold_the_model(nlp: Language, settings: Settings):
    here = os.getpid()
    assert workers.run_in_pool(os.getpid) == here  # no pool open: in this process
    with workers.extraction_pool(2, settings.spacy_model, str(settings.seeds_dir)):
        pids = {workers.run_in_pool(os.getpid) for _ in range(6)}
        assert here not in pids and 1 <= len(pids) <= 2
        if workers.forks():
            # Forked after the model was loaded here: the worker's cache already holds it (its initializer's
            # load_pipeline call was a hit, not a second load from disk).
            held, hits = workers.run_in_pool(_pipeline_cache)
            assert held >= 1 and hits >= 1
        with workers.extraction_pool(3, settings.spacy_model, str(settings.seeds_dir)):
            assert workers.run_in_pool(os.getpid) in pids  # an open pool is reused, not nested
    assert workers.run_in_pool(os.getpid) == here  # closed with its context
