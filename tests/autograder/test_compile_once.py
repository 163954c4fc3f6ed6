"""assert_compiles (at least one learner compilation, from cold caches) and backend compile counts."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from autograder import (AntiPatternError, assert_compiles, assert_device_work, assert_max_backend_compilations,
                        count_backend_compilations)

pytestmark = pytest.mark.detectors
BUCKETS = (8, 16)


@jax.jit
def _masked_square_mean(padded, mask):
    return jnp.sum(padded**2 * mask) / jnp.sum(mask)


def energy_host_padding(x):
    size = next(b for b in BUCKETS if b >= len(x))
    padded, mask = np.zeros(size, np.float32), np.zeros(size, np.float32)
    padded[: len(x)], mask[: len(x)] = x, 1.0
    return _masked_square_mean(padded, mask)


def energy_device_padding(x):
    size = next(b for b in BUCKETS if b >= len(x))
    mask = (jnp.arange(size) < len(x)).astype(jnp.float32)
    return _masked_square_mean(jnp.pad(jnp.asarray(x), (0, size - len(x))), mask)


def energy_numpy(x):
    return np.float32(np.mean(np.square(x)))


SIGNALS = [np.ones(n, np.float32) for n in range(1, 17)]


def _run(energy):
    return lambda: [energy(s) for s in SIGNALS]


def test_jitted_code_passes_and_reports_its_compilations():
    log = assert_compiles(_run(energy_host_padding), instruction="jit it", max_compilations=2)
    assert sorted(c.signature[0] for c in log.compilations) == ["float32[16]", "float32[8]"]


def test_code_compiled_before_still_counts_from_cold_caches():
    energy_host_padding(SIGNALS[0])
    assert assert_compiles(lambda: energy_host_padding(SIGNALS[0]), instruction="jit it").count == 1


def test_pure_numpy_is_missing_jit_and_names_the_instruction():
    with pytest.raises(AntiPatternError, match=r"\[anti-pattern: missing-jit\].*compute it with one jitted function"):
        assert_compiles(_run(energy_numpy), instruction="compute it with one jitted function")


def test_eager_jnp_is_missing_jit():
    with pytest.raises(AntiPatternError, match="missing-jit"):
        assert_compiles(lambda: [jnp.sum(jnp.asarray(s) ** 2) for s in SIGNALS[:3]], instruction="jit it")


def test_recompilation_still_fails():
    def recompiles():
        for s in SIGNALS[:3]:
            jax.jit(lambda v: v * 2.0)(s)
    with pytest.raises(AntiPatternError, match="recompilation"):
        assert_compiles(recompiles, instruction="jit it once")


def test_backend_count_sees_eager_work_per_shape():
    jax.clear_caches()
    assert count_backend_compilations(_run(energy_host_padding)) == 2
    jax.clear_caches()
    assert count_backend_compilations(_run(energy_device_padding)) > 2 * len(BUCKETS)


def test_device_padding_fails_and_host_padding_passes():
    assert_max_backend_compilations(_run(energy_host_padding), max_compilations=2, instruction="pad on the host")
    with pytest.raises(AntiPatternError, match=r"device-work-per-shape.*pad on the host"):
        assert_max_backend_compilations(_run(energy_device_padding), max_compilations=2, instruction="pad on the host")


def test_eager_work_on_other_devices_is_not_a_jit():
    devices = jax.devices("cpu")[:2]
    with pytest.raises(AntiPatternError, match="missing-jit"):
        assert_compiles(lambda: [jax.device_put(jnp.ones(4), d).sum() for d in devices], instruction="jit it")


def test_device_work_sees_eager_jnp_and_not_a_host_result():
    assert_device_work(lambda: jnp.sum(jax.device_put(np.ones((3, 4))), axis=0), instruction="sum on the device")
    with pytest.raises(AntiPatternError, match=r"host-computation.*sum on the device"):
        assert_device_work(lambda: jax.device_put(np.ones((3, 4)).sum(axis=0)), instruction="sum on the device")
