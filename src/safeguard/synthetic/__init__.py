"""The synthetic partnership: a Cheshire-like population, each agency's noisy view of it, planted
exploitation scenarios, traps, and the ground truth to measure linkage and detection against.

    from safeguard.synthetic import generate
    summary = generate(Path("out"), children=5000, years=5, seed=1)

Pure numpy/pyarrow; no Django. The same arguments always give the same bytes.
"""

from safeguard.synthetic.partnership import generate
from safeguard.synthetic.period import EXTRACT_DATE

__all__ = ["EXTRACT_DATE", "generate"]
