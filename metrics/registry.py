"""What apps above metrics add to the reports without metrics importing them: the plans app fills
these lists in its AppConfig.ready().

- `period_providers`: callables `(today) -> [(name, label, Period)]`, offered in every report's
  period choice (the current 90-day plan's period);
- `dashboard_sections`: callables `(period, member) -> (template name, context) | None`, rendered
  at the end of the dashboard;
- `report_sections`: callables `(period) -> (template name, context) | None`, rendered in the PDF
  report before the definitions.
"""

period_providers: list = []
dashboard_sections: list = []
report_sections: list = []


def provided_periods(today) -> list:
    return [offer for provider in period_providers for offer in provider(today)]


def sections(registry: list, *args) -> list[tuple[str, dict]]:
    return [section for provider in registry if (section := provider(*args)) is not None]
