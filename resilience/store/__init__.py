"""The store: the only code that talks to the database.

A ``Database`` (the engine, who is asking, ``read()``/``write()`` transactions) and
small repositories over it, one job each: the register, commissioners, scope, review
months, assessments, the meeting's read models, soft intelligence, actions, cohorts and
the panel, imports and figures, people, methods and the audit log. ``Store`` composes
them; its methods are the repositories' own (``store.assessments.save_assessment`` and
``store.save_assessment`` are the same call). Every write is one transaction: it lands
whole or not at all. Screens and commands get plain objects from ``resilience.domain``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from sqlalchemy import Engine

from resilience.db import make_engine, migrate, require_existing, resolve_url, warn_if_shared
from resilience.errors import ConflictError, PermissionDenied, StoreError
from resilience.findings import clean_findings as _clean_findings
from resilience.findings import to_inputs as _to_inputs
from resilience.store.actions import ActionRepository
from resilience.store.assessments import AssessmentRepository
from resilience.store.audit import AuditRepository
from resilience.store.cohorts import CohortRepository
from resilience.store.commissioners import CommissionerRepository
from resilience.store.database import DEMO_SETTING, Database, check_period, write_refused
from resilience.store.imports import ImportRepository
from resilience.store.meeting import MeetingRepository
from resilience.store.methods import PINNED_AT_CREATION, MethodRepository
from resilience.store.panel import PanelRepository
from resilience.store.people import PeopleRepository
from resilience.store.periods import PeriodRepository
from resilience.store.register import RegisterRepository
from resilience.store.rescoring import RescoringRepository
from resilience.store.rows import next_month, now, previous_month
from resilience.store.scope import ScopeRepository
from resilience.store.soft_intel import SoftIntelRepository
from scoring import Methodology

__all__ = [
    "DEMO_SETTING",
    "ConflictError",
    "Database",
    "PermissionDenied",
    "Store",
    "StoreError",
    "_clean_findings",  # the old private names: benchmarks/generate.py uses them
    "_to_inputs",
    "check_period",
    "next_month",
    "now",
    "previous_month",
    "write_refused",
]

P = ParamSpec("P")
R = TypeVar("R")


class _Via(Generic[P, R]):
    """``Store.x`` is ``Store.<repository>.x``: one line per method, typed as the
    repository's method (so a type checker sees the real signature)."""

    def __init__(self, repository: str, method: Callable[Concatenate[Any, P], R]) -> None:
        self.repository = repository
        self.name = method.__name__
        self.__doc__ = method.__doc__

    def __get__(self, store: Any, owner: type | None = None) -> Callable[P, R]:
        if store is None:
            return self  # type: ignore[return-value]
        bound: Callable[P, R] = getattr(getattr(store, self.repository), self.name)
        return bound


class Store:
    """One database and its repositories (SQLite file or any SQLAlchemy URL)."""

    def __init__(
        self, engine: Engine, method: Methodology | None = None, user: str | None = None
    ) -> None:
        self.db = Database(engine, method, user)
        self.register = RegisterRepository(self.db)
        self.commissioners_repo = CommissionerRepository(self.db)
        self.scope_repo = ScopeRepository(self.db)
        self.people_repo = PeopleRepository(self.db)
        self.methods = MethodRepository(self.db)
        self.audit = AuditRepository(self.db)
        self.periods_repo = PeriodRepository(self.db)
        self.assessments = AssessmentRepository(self.db, self.methods)
        self.imports = ImportRepository(self.db, self.commissioners_repo)
        self.soft = SoftIntelRepository(self.db, self.audit)
        self.meeting = MeetingRepository(self.db, self.imports, self.soft)
        self.actions = ActionRepository(self.db)
        self.cohorts = CohortRepository(self.db)
        self.panel = PanelRepository(self.db, self.cohorts)
        self.rescoring = RescoringRepository(self.db, self.assessments)

    @classmethod
    def open(
        cls,
        db: str | None = None,
        *,
        apply_migrations: bool = True,
        method: Methodology | None = None,
        user: str | None = None,
        create: bool = False,
    ) -> Store:
        """Open the database at ``db``, migrated to the latest schema; a SQLite file that
        does not exist is created only with ``create``. ``method`` scores what this store
        saves (default: the shipped method). ``user`` (default: the account running this
        process; on PostgreSQL the server session's user) is who is asking; naming someone
        else is allowed only to the accounts an admin made them a delegate of. Whoever
        creates a new database becomes its admin."""
        url = resolve_url(db)
        if not create:
            require_existing(url)
        engine = make_engine(url)
        created = migrate(engine) if apply_migrations else False
        warn_if_shared(url)
        store = cls(engine, method, user)
        if apply_migrations:
            # one method per database: score with the database's unless told otherwise
            store.db.db_method = store.methods.load_db_method()
            if method is None and store.db.db_method is not None:
                store.db.method = store.db.db_method
            store.people_repo.settle_identity(user, created=created)
            if created:  # a new database keeps the method it was made with (issue 13)
                store.methods.pin_shipped(PINNED_AT_CREATION, actor=store.db.account)
            _ = store.role  # resolved once, here, off the UI thread
        return store

    # ----------------------------------------------------------------- the database

    @property
    def engine(self) -> Engine:
        return self.db.engine

    @property
    def url(self) -> str:
        return self.db.url

    @property
    def method(self) -> Methodology:
        """The method this store scores with."""
        return self.db.method

    @method.setter
    def method(self, value: Methodology) -> None:
        self.db.method = value

    @property
    def db_method(self) -> Methodology | None:
        return self.db.db_method

    @property
    def user(self) -> str:
        return self.db.user

    @property
    def account(self) -> str:
        return self.db.account

    @property
    def role(self) -> str:
        return self.db.role

    @property
    def can_see_confidential(self) -> bool:
        return self.db.can_see_confidential

    close = _Via("db", Database.close)
    get_setting = _Via("db", Database.get_setting)
    is_demo = _Via("db", Database.is_demo)
    may = _Via("db", Database.may)
    confidential_roles = _Via("db", Database.confidential_roles)

    # ----------------------------------------------------------------- register
    is_empty = _Via("register", RegisterRepository.is_empty)
    load_register = _Via("register", RegisterRepository.load_register)
    list_practices = _Via("register", RegisterRepository.list_practices)
    practice = _Via("register", RegisterRepository.practice)
    known_codes = _Via("register", RegisterRepository.known_codes)
    register_figures = _Via("register", RegisterRepository.register_figures)
    commissioners = _Via("register", RegisterRepository.commissioners)
    commissioner_list = _Via("commissioners_repo", CommissionerRepository.commissioner_list)
    commissioner_snapshot = _Via("commissioners_repo", CommissionerRepository.commissioner_snapshot)
    set_commissioner_name = _Via("commissioners_repo", CommissionerRepository.set_commissioner_name)
    scope = _Via("scope_repo", ScopeRepository.scope)
    set_scope = _Via("scope_repo", ScopeRepository.set_scope)
    clear_scope = _Via("scope_repo", ScopeRepository.clear_scope)
    commissioner_tree = _Via("scope_repo", ScopeRepository.commissioner_tree)
    hidden_counts = _Via("scope_repo", ScopeRepository.hidden_counts)

    # ----------------------------------------------------------------- periods
    open_period = _Via("periods_repo", PeriodRepository.open_period)
    close_period = _Via("periods_repo", PeriodRepository.close_period)
    periods = _Via("periods_repo", PeriodRepository.periods)
    latest_period = _Via("periods_repo", PeriodRepository.latest_period)
    open_next_period = _Via("periods_repo", PeriodRepository.open_next_period)

    # ----------------------------------------------------------------- assessments
    save_assessment = _Via("assessments", AssessmentRepository.save_assessment)
    save_assessments = _Via("assessments", AssessmentRepository.save_assessments)
    latest_assessment = _Via("assessments", AssessmentRepository.latest_assessment)
    assessment_versions = _Via("assessments", AssessmentRepository.assessment_versions)
    period_results = _Via("assessments", AssessmentRepository.period_results)
    rescore_period = _Via("rescoring", RescoringRepository.rescore_period)

    # ----------------------------------------------------------------- the meeting
    agenda_rows = _Via("meeting", MeetingRepository.agenda_rows)
    unreviewed = _Via("meeting", MeetingRepository.unreviewed)
    review_context = _Via("meeting", MeetingRepository.review_context)
    period_inputs = _Via("meeting", MeetingRepository.period_inputs)
    period_snapshot = _Via("meeting", MeetingRepository.period_snapshot)

    # ----------------------------------------------------------------- soft intelligence
    add_soft_intel = _Via("soft", SoftIntelRepository.add_soft_intel)
    add_soft_intel_many = _Via("soft", SoftIntelRepository.add_soft_intel_many)
    update_soft_intel = _Via("soft", SoftIntelRepository.update_soft_intel)
    soft_intel = _Via("soft", SoftIntelRepository.soft_intel)
    soft_intel_for_export = _Via("soft", SoftIntelRepository.soft_intel_for_export)

    # ----------------------------------------------------------------- actions
    add_action = _Via("actions", ActionRepository.add_action)
    open_actions = _Via("actions", ActionRepository.open_actions)
    practice_actions = _Via("actions", ActionRepository.practice_actions)
    complete_action = _Via("actions", ActionRepository.complete_action)

    # ----------------------------------------------------------------- GPRP cohorts
    cohort_names = _Via("cohorts", CohortRepository.cohort_names)
    create_cohort = _Via("cohorts", CohortRepository.create_cohort)
    add_applications = _Via("cohorts", CohortRepository.add_applications)
    cohort = _Via("cohorts", CohortRepository.cohort)
    applications = _Via("cohorts", CohortRepository.applications)
    cohort_outcomes = _Via("cohorts", CohortRepository.cohort_outcomes)
    record_decision = _Via("panel", PanelRepository.record_decision)
    set_need_impact = _Via("panel", PanelRepository.set_need_impact)
    record_panel = _Via("panel", PanelRepository.record_panel)
    lock_cohort = _Via("panel", PanelRepository.lock_cohort)

    # ----------------------------------------------------------------- imports
    register_snapshot = _Via("imports", ImportRepository.register_snapshot)
    previous_import = _Via("imports", ImportRepository.previous_import)
    apply_import = _Via("imports", ImportRepository.apply_import)
    current_figures = _Via("imports", ImportRepository.current_figures)
    figure_sources = _Via("imports", ImportRepository.figure_sources)

    # ----------------------------------------------------------------- people
    delegates_of = _Via("people_repo", PeopleRepository.delegates_of)
    all_delegates = _Via("people_repo", PeopleRepository.all_delegates)
    set_delegates = _Via("people_repo", PeopleRepository.set_delegates)
    people = _Via("people_repo", PeopleRepository.people)
    set_role = _Via("people_repo", PeopleRepository.set_role)
    set_confidential_roles = _Via("people_repo", PeopleRepository.set_confidential_roles)
    confidential_entry_count = _Via("people_repo", PeopleRepository.confidential_entry_count)

    # ----------------------------------------------------------------- methods and audit
    method_in_use = _Via("methods", MethodRepository.method_in_use)
    method_history = _Via("methods", MethodRepository.method_history)
    result_methods = _Via("methods", MethodRepository.result_methods)
    method_named = _Via("methods", MethodRepository.method_named)
    set_method = _Via("methods", MethodRepository.set_method)
    check_saving_method = _Via("methods", MethodRepository.check_saving_method)
    audit_entries = _Via("audit", AuditRepository.audit_entries)
    record_export = _Via("audit", AuditRepository.record_export)
    record_database_event = _Via("audit", AuditRepository.record_database_event)
