"""Reference for the fraud model card: LightGBM and CatBoost on the same labelled claims and columns.

Answers two questions the model card quotes: does a mature gradient-boosting library reach the AUC target
with the columns the model may use, and where do the higher figures published for this data come from.
Stratified 5-fold cross-validation, like ml/fraud-training.ts (not the same folds). Run once:
    python3 -m venv /tmp/gb && /tmp/gb/bin/pip install pandas scikit-learn lightgbm catboost
    /tmp/gb/bin/python scripts/reference/fraud_boosting.py ../shared/data/fraud-oracle/train.csv
"""
import sys

import lightgbm as lgb
import numpy as np
import pandas as pd
from catboost import CatBoostClassifier
from sklearn.metrics import precision_recall_curve, roc_auc_score
from sklearn.model_selection import StratifiedKFold

LABEL = "FraudFound_P"
LEFT_OUT = ["PolicyNumber", "RepNumber", "Year"]  # as in domain/fraud/model.ts


def precision_at_recall(y, scores, recall=0.8):
    precision, reached, _ = precision_recall_curve(y, scores)
    return precision[reached >= recall].max()


def cross_validate(frame, y, fit_predict):
    out_of_fold = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=1).split(frame, y):
        out_of_fold[test] = fit_predict(frame.iloc[train], y[train], frame.iloc[test])
    return roc_auc_score(y, out_of_fold), precision_at_recall(y, out_of_fold)


def lightgbm(train, y, test):
    model = lgb.LGBMClassifier(
        n_estimators=300, learning_rate=0.03, num_leaves=15, min_child_samples=20,
        subsample=0.8, subsample_freq=1, colsample_bytree=0.8, n_jobs=2, verbose=-1,
    )
    model.fit(train, y)
    return model.predict_proba(test)[:, 1]


def catboost(train, y, test):
    categorical = [c for c in train.columns if isinstance(train[c].dtype, pd.CategoricalDtype)]
    model = CatBoostClassifier(iterations=1000, learning_rate=0.03, depth=4, thread_count=2, verbose=0, cat_features=categorical, allow_writing_files=False)
    model.fit(train.astype({c: str for c in categorical}), y)
    return model.predict_proba(test.astype({c: str for c in categorical}))[:, 1]


def main(path):
    data = pd.read_csv(path, encoding="utf-8-sig")
    y = data[LABEL].to_numpy()
    features = data.drop(columns=[LABEL])
    for column in features.columns:
        if not pd.api.types.is_numeric_dtype(features[column]):
            features[column] = features[column].astype("category")
    allowed = features.drop(columns=LEFT_OUT)
    runs = [
        ("LightGBM, columns the model uses", allowed, lightgbm),
        ("CatBoost, columns the model uses", allowed, catboost),
        ("LightGBM, + Year", features.drop(columns=["PolicyNumber", "RepNumber"]), lightgbm),
        ("LightGBM, + PolicyNumber", features.drop(columns=["RepNumber", "Year"]), lightgbm),
    ]
    for name, frame, fit_predict in runs:
        auc, precision = cross_validate(frame, y, fit_predict)
        print(f"{name:36s} AUC {auc:.3f}  precision at recall 0.80 {precision:.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
