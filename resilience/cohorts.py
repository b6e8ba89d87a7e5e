"""Moved to ``resilience.services.cohorts``; this name is kept for older imports."""

from resilience.services.cohorts import (
    ProposedPlacement,
    accept_proposals,
    add_applicants,
    copy_applicants,
    parse_codes,
    parse_quotas,
    propose,
    sensitivity,
    support_names,
)

__all__ = [
    "ProposedPlacement",
    "accept_proposals",
    "add_applicants",
    "copy_applicants",
    "parse_codes",
    "parse_quotas",
    "propose",
    "sensitivity",
    "support_names",
]
