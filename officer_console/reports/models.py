"""Equivalence factors for the manager report (sheets → trees, CO2, water).

Each figure carries its source so a manager can defend it; admins keep the
sets in the Django admin and the report names the set it used.
"""

from decimal import Decimal

from django.db import models


class EquivalenceFactorSet(models.Model):
    name = models.CharField("이름 (name)", max_length=100, unique=True)
    description = models.TextField("설명 (description)", blank=True)
    is_default = models.BooleanField(
        "기본값 (default)",
        default=False,
        help_text="보고서가 따로 고르지 않으면 쓰는 값 (used unless another is chosen)",
    )
    derived = models.BooleanField(
        "역산한 값 (derived)",
        default=False,
        help_text="공표된 수치에서 거꾸로 계산한 값이면 표시 (figures back-computed from a published claim)",
    )
    co2_grams_per_sheet = models.DecimalField(
        "A4 1매당 CO2 (g) (CO2 per A4 sheet, g)", max_digits=8, decimal_places=3, default=Decimal("2.88")
    )
    co2_source = models.CharField("CO2 출처 (CO2 source)", max_length=300, blank=True)
    water_litres_per_sheet = models.DecimalField(
        "A4 1매당 물 (L) (water per A4 sheet, L)", max_digits=8, decimal_places=3, default=Decimal("10")
    )
    water_source = models.CharField("물 출처 (water source)", max_length=300, blank=True)
    sheets_per_tree = models.PositiveIntegerField(
        "30년생 나무 1그루당 A4 매수 (A4 sheets per 30-year tree)", default=10000
    )
    tree_source = models.CharField("나무 출처 (tree source)", max_length=300, blank=True)
    pine_co2_kg_per_year = models.DecimalField(
        "30년생 소나무 1그루 연간 CO2 흡수량 (kg) (CO2 absorbed per 30-year pine per year, kg)",
        max_digits=8,
        decimal_places=3,
        default=Decimal("6.6"),
    )
    pine_source = models.CharField("소나무 흡수량 출처 (pine absorption source)", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_factor_set"
            ),
            models.CheckConstraint(
                condition=models.Q(sheets_per_tree__gt=0) & models.Q(pine_co2_kg_per_year__gt=0),
                name="factor_divisors_positive",
            ),
        ]
        verbose_name = "환산 계수 (equivalence factors)"
        verbose_name_plural = "환산 계수 (equivalence factors)"

    def __str__(self) -> str:
        return f"{self.name} (역산 derived)" if self.derived else self.name
