from django.contrib import admin

from .models import EquivalenceFactorSet


@admin.register(EquivalenceFactorSet)
class EquivalenceFactorSetAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "is_default",
        "derived",
        "co2_grams_per_sheet",
        "water_litres_per_sheet",
        "sheets_per_tree",
        "pine_co2_kg_per_year",
        "updated_at",
    )
    list_filter = ("is_default", "derived")
    fieldsets = (
        (None, {"fields": ("name", "description", "is_default", "derived")}),
        ("CO2", {"fields": ("co2_grams_per_sheet", "co2_source")}),
        ("물 (water)", {"fields": ("water_litres_per_sheet", "water_source")}),
        ("나무 (trees)", {"fields": ("sheets_per_tree", "tree_source", "pine_co2_kg_per_year", "pine_source")}),
    )
