"""Figures relative to the commissioner's other practices (pure; the service passes the
register's list sizes in and gets each practice's percentile back)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping


def list_size_percentiles(practices: Mapping[str, tuple[str, int | None]]) -> dict[str, float]:
    """ODS code -> where its list size sits among its commissioner's practices.

    ``practices`` maps an ODS code to (commissioner, list size). The percentile is the
    share of the commissioner's other practices with a smaller list, counting equal lists
    as half: 0 is the smallest list, 100 the largest, 50 when the practice is alone or
    every list is equal. Practices without a list size get no percentile (unknown).
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for group, size in practices.values():
        if size is not None:
            groups[group].append(size)
    for sizes in groups.values():
        sizes.sort()
    out: dict[str, float] = {}
    for code, (group, size) in practices.items():
        if size is None:
            continue
        sizes = groups[group]
        others = len(sizes) - 1
        if others == 0:
            out[code] = 50.0
            continue
        below = _count_below(sizes, size)
        equal = _count_below(sizes, size + 1) - below - 1
        out[code] = round(100 * (below + equal / 2) / others, 1)
    return out


def _count_below(sorted_sizes: list[int], value: int) -> int:
    from bisect import bisect_left

    return bisect_left(sorted_sizes, value)
