"""Reference fit of the motorcycle tariff with statsmodels, for the pin in test/unit/pricing-glm.test.ts.

Same grouping and base levels as domain/pricing/rating-factors.ts and ml/pricing-training.ts, fitted on
the individual policies (not cells) so that agreement also checks the aggregation. Run once:
    python3 -m venv /tmp/sm && /tmp/sm/bin/pip install statsmodels pandas
    /tmp/sm/bin/python scripts/reference/pricing_glm.py ../shared/data/ohlsson-mc/train.csv
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm

LEVELS = {
    "zone": ["1", "2", "3", "4", "5", "6", "7"],
    "vehicleClass": ["1", "2", "3", "4", "5", "6", "7"],
    "vehicleAge": ["0-1", "2-4", "5+"],
    "bonusClass": ["1-2", "3-4", "5-7"],
    "ownerAge": ["0-24", "25-34", "35-44", "45-54", "55+"],
}


def band(value, bands, last):
    for top, label in bands:
        if value <= top:
            return label
    return last


df = pd.read_csv(sys.argv[1])
cells = pd.DataFrame({
    "zone": df.zon.clip(1, 7).round().astype(int).astype(str),
    "vehicleClass": df.mcklass.clip(1, 7).round().astype(int).astype(str),
    "vehicleAge": df.fordald.map(lambda v: band(v, [(1, "0-1"), (4, "2-4")], "5+")),
    "bonusClass": df.bonuskl.map(lambda v: band(v, [(2, "1-2"), (4, "3-4")], "5-7")),
    "ownerAge": df.agarald.map(lambda v: band(v, [(24, "0-24"), (34, "25-34"), (44, "35-44"), (54, "45-54")], "55+")),
})
base = {f: cells.assign(d=df.duration).groupby(f).d.sum().sort_values(ascending=False).index[0] for f in LEVELS}


def design(frame):
    cols = {"intercept": np.ones(len(frame))}
    for f, levels in LEVELS.items():
        for level in levels:
            if level != base[f]:
                cols[f"{f}={level}"] = (frame[f] == level).astype(float).to_numpy()
    return pd.DataFrame(cols, index=frame.index)


insured = df.duration > 0
freq = sm.GLM(df.antskad[insured], design(cells[insured]), family=sm.families.Poisson(), offset=np.log(df.duration[insured])).fit(tol=1e-12)
claimed = (df.antskad > 0) & (df.skadkost > 0)
sev = sm.GLM(
    df.skadkost[claimed] / df.antskad[claimed],
    design(cells[claimed]),
    family=sm.families.Gamma(sm.families.links.Log()),
    var_weights=df.antskad[claimed],
).fit(tol=1e-12)
print(json.dumps({"base": base, "frequency": freq.params.round(10).to_dict(), "severity": sev.params.round(10).to_dict()}, indent=1))
