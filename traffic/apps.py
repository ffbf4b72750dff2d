from django.apps import AppConfig


class TrafficConfig(AppConfig):
    """Stops of drivers without a license (clause 2(f))."""

    name = "traffic"
    verbose_name = "Unlicensed-driver stops"

    def ready(self):
        from traffic import api, demo, rules, selectors
        from traffic.models import UnlicensedDriverStop
        from welcoming import findings, navigation, supplement
        from welcoming.api_router import register
        from welcoming.demo import register_seeder

        findings.register_rule(UnlicensedDriverStop, rules.custody_for_no_license_alone)
        findings.register_rule(UnlicensedDriverStop, rules.impounded_without_a_chance)
        navigation.register(navigation.MenuEntry("Traffic stops", "traffic:list", selectors.VIEW))
        supplement.register(
            supplement.Section(
                "traffic_stops", "Stops of drivers without a license (2(f))", selectors.supplement_lines, 16
            )
        )
        register("traffic-stops", api.StopViewSet, "traffic-stop")
        from welcoming import retention

        # No driver is recorded; only the notes may name someone.
        retention.register(
            retention.Policy(UnlicensedDriverStop, dated_by="stopped_at", replace={"notes": retention.PURGED})
        )
        register_seeder(demo.seed)
