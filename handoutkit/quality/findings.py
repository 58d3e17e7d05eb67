"""A quality finding: which gate, and the problem it points at."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem


@dataclass(frozen=True, order=True)
class Finding:
    problem: Problem
    gate: str
    level: str  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.problem} [{self.gate}, {self.level}]"
