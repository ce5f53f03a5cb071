"""Array type aliases shared by the generator's modules."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Strs = NDArray[np.str_]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Floats = NDArray[np.float64]
Times = NDArray[np.datetime64]
Array = NDArray[Any]
