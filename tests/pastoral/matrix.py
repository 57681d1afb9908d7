"""Objects for the access matrix (tests/test_access_matrix.py): a campaign of 乌伦古乡, which every
role of the township and of its county reads, and nobody elsewhere."""

import datetime as dt

from dianjiao.pastoral import services


def campaign(w):
    c = services.campaign_create(
        user=w.station,
        township=w.township,
        name="2026年秋季转场流动教学",
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 20),
    )
    return {"pk": c.pk}
