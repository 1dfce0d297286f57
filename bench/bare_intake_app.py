"""The yardstick for ``bench/intake.py``: a bare Flask + Flask-SQLAlchemy endpoint.

``POST /rows`` reads the JSON body and inserts it as one row (with the request's
``Idempotency-Key``), commits and answers ``201 {"id": …}``: the least a web intake can
do. Served by gunicorn as ``"bench.bare_intake_app:create_app()"`` with ``DATABASE_URL``.
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class BenchRow(db.Model):
    __tablename__ = "bench_bare_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    payload: Mapped[Any] = mapped_column(sa.JSON)


def create_app(database_url: str | None = None) -> Flask:
    app = Flask(__name__)
    url = (database_url or os.environ["DATABASE_URL"]).replace(
        "postgresql://", "postgresql+psycopg://", 1
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)

    @app.post("/rows")
    def add_row():  # type: ignore[no-untyped-def]
        row = BenchRow(
            idempotency_key=request.headers.get("Idempotency-Key"),
            payload=request.get_json(),
        )
        db.session.add(row)
        db.session.flush()
        row_id = row.id  # read before the commit expires it (no SELECT after it)
        db.session.commit()
        return jsonify({"id": row_id}), 201

    return app
