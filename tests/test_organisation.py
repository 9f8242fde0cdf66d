"""The generated organisation has the structure it claims."""

import numpy as np

from sim.organisation import LEADER, MANAGER, generate
from sim.scenario import Organisation


def _org(**kw):
    return generate(Organisation(**kw), np.random.default_rng(0))


def test_every_employee_has_a_department_team_and_level():
    org = _org(employees=5000, departments=7, team_size=9)
    assert org.n == 5000
    assert set(np.unique(org.department)) == set(range(7))
    assert org.team_size.min() >= 3
    assert abs(np.median(org.team_size) - 9) <= 1
    # teams never span departments
    assert (org.team_department[org.team] == org.department).all()


def test_hierarchy_is_a_tree_with_one_head():
    org = _org(employees=3000, departments=6)
    assert (org.level == LEADER).sum() == 6
    assert (org.level[org.team_manager] >= MANAGER).all()
    assert (org.manager_of == -1).sum() == 1
    # following reporting lines from anyone reaches the head within 3 steps
    who = np.arange(org.n)
    for _ in range(3):
        who = np.where(org.manager_of[who] >= 0, org.manager_of[who], who)
    assert (org.manager_of[who] == -1).all()


def test_weak_ties_cross_departments_at_the_requested_rate():
    org = _org(employees=20000, departments=10, weak_ties=4, cross_department_share=0.3)
    src = np.repeat(np.arange(org.n), 4)
    dst = org.weak_ties.ravel()
    assert (src != dst).all()
    across = (org.department[src] != org.department[dst]).mean()
    # uniform draws over the organisation land in one's own department ~10 % of the time
    assert 0.24 < across < 0.30


def test_teammate_is_never_oneself_and_always_in_the_team():
    org = _org(employees=2000, departments=4)
    rng = np.random.default_rng(1)
    who = rng.integers(0, org.n, 10000)
    mates = org.teammate(who, rng.random(10000))
    assert (mates != who).all()
    assert (org.team[mates] == org.team[who]).all()


def test_same_seed_same_organisation():
    a, b = _org(employees=1000), _org(employees=1000)
    np.testing.assert_array_equal(a.weak_ties, b.weak_ties)
    np.testing.assert_array_equal(a.level, b.level)


def test_edges_cover_all_three_tie_kinds():
    org = _org(employees=200, departments=2)
    edges = org.edges()
    assert set(edges) == {"team", "weak", "reporting"}
    assert len(edges["reporting"][0]) == org.n - 1


def test_restructuring_moves_people_within_departments_and_updates_reporting_lines():
    from sim import KnowledgeSharingModel

    model = KnowledgeSharingModel("restructuring", rng=5, employees=800)
    before = model.org.team.copy()
    for _ in range(27):
        model.step()
    org = model.org
    moved = org.team != before
    assert moved.sum() > 50
    assert (org.team_department[org.team] == org.department).all()
    staff = org.level < 2
    assert (org.manager_of[staff] == org.team_manager[org.team[staff]]).all()
