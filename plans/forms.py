"""Forms of the plans pages: they read input; the services decide."""

from django import forms

from metrics.models import BusinessNeed

from . import selectors


class PlanForm(forms.Form):
    title = forms.CharField(max_length=120, help_text="What these 90 days are for, e.g. “Spring: answers within a day”.")
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), help_text="Its 90th day is 89 days later.")
    business_needs = forms.ModelMultipleChoiceField(
        queryset=BusinessNeed.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The business needs this plan serves (managers name them in Content admin → Business needs).",
    )
    members_total_target = forms.FloatField(required=False, label="Target: members in all",
                                            help_text="Suggested from the doubling curve; change it as you see fit.")
    new_members_target = forms.FloatField(required=False, label="Target: new members")
    owner = forms.ModelChoiceField(queryset=selectors.possible_owners(), required=False,
                                   label="Owner of the acquisition targets")


class ObjectiveForm(forms.Form):
    programme = forms.TypedChoiceField(coerce=int, choices=())
    metric = forms.ChoiceField(required=False, choices=(), help_text="Or leave empty for a manual count.")
    manual_name = forms.CharField(required=False, max_length=120, label="Manual count: name")
    manual_definition = forms.CharField(required=False, max_length=500, label="Manual count: what it counts")
    target = forms.FloatField()
    baseline = forms.FloatField(required=False, help_text="Empty: the metric's figure for the 90 days before the plan.")
    owner = forms.ModelChoiceField(queryset=selectors.possible_owners())
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text="Empty: the plan's last day.")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, p.name) for p in plan.programmes.all()]
        self.fields["metric"].choices = [("", "— a manual count —"), *selectors.metric_choices()]


class ObjectiveUpdateForm(forms.Form):
    target = forms.FloatField(required=False)
    baseline = forms.FloatField(required=False)
    manual_actual = forms.FloatField(required=False, label="Actual (manual count)")


class ProgrammeForm(forms.Form):
    name = forms.CharField(max_length=80, label="Custom programme")


class InitiativeForm(forms.Form):
    programme = forms.TypedChoiceField(coerce=int, choices=())
    title = forms.CharField(max_length=160, help_text="e.g. “Weekly AMA in the Product group”.")
    owner = forms.ModelChoiceField(queryset=selectors.possible_owners())
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    repeats = forms.BooleanField(required=False, label="Repeats in the next plan")
    link = forms.CharField(required=False, max_length=300, label="Delivered by",
                           help_text="The address of a forum thread, article, digest or other page.")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, p.name) for p in plan.programmes.all()]


class CheckInForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, label="This week's check-in")


class BetaGroupForm(forms.Form):
    group = forms.ModelChoiceField(queryset=None, required=False, label="Beta group")
    skills = forms.ModelMultipleChoiceField(queryset=None, required=False, label="Skills of its topic",
                                            widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, **kwargs):
        from forums.models import Group
        from members import selectors as member_selectors

        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.order_by("name")
        self.fields["skills"].queryset = member_selectors.approved_skills()


class CloseForm(forms.Form):
    lessons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000,
                              label="Lessons of these 90 days")


class OutreachForm(forms.Form):
    members = forms.CharField(widget=forms.MultipleHiddenInput, required=False)
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                              label="Your personal message",
                              help_text="Say something only they would get: a standard text is refused (rule 9).")
    insist = forms.BooleanField(required=False, label="Send it as it is")
