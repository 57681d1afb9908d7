"""Objects the access matrix (tests/test_access_matrix.py) requests planning pages with."""


def workplan(w):
    from dianjiao.plans.services import workplan_submit

    plan = workplan_submit(
        village=w.village,
        year=2026,
        text="全年每月组织一次集中收看，重点片按四环节教学。",
        user=w.operator,
    )
    return {"pk": plan.pk}
