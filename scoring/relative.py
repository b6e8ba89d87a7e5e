"""Figures relative to the commissioner's other practices (pure; the service passes the
register's list sizes in and gets each practice's percentile back)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from statistics import median


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


def list_size_relatives(practices: Mapping[str, tuple[str, int | None]]) -> dict[str, float]:
    """ODS code -> its list size as a percentage of its commissioner's median list.

    ``practices`` maps an ODS code to (commissioner, list size). 100 is the median of
    the commissioner's practices with a known list size (the practice itself included),
    50 half of it. Unlike the percentile, the ratio keeps how far below its neighbours
    a practice is: in a commissioner of 10,000-patient practices, lists of 2,000 and
    4,000 are both "the smallest" by rank but 20% and 40% of the median. Practices
    without a list size get nothing (unknown); so does a commissioner whose median is 0.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for group, size in practices.values():
        if size is not None:
            groups[group].append(size)
    medians = {group: median(sizes) for group, sizes in groups.items()}
    out: dict[str, float] = {}
    for code, (group, size) in practices.items():
        middle = medians.get(group) if size is not None else None
        if size is not None and middle:
            out[code] = round(100 * size / middle, 1)
    return out


def _count_below(sorted_sizes: list[int], value: int) -> int:
    from bisect import bisect_left

    return bisect_left(sorted_sizes, value)
