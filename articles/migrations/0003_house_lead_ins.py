from django.db import migrations

HOUSE_LEAD_INS = [
    "Why it matters:",
    "The big picture:",
    "Driving the news:",
    "The intrigue:",
    "What they're saying:",
    "Between the lines:",
    "By the numbers:",
    "Catch up quick:",
    "Flashback:",
    "Zoom out:",
    "Zoom in:",
    "The other side:",
    "What's next:",
    "Go deeper:",
]


def add_house_lead_ins(apps, schema_editor):
    LeadIn = apps.get_model("articles", "LeadIn")
    for position, label in enumerate(HOUSE_LEAD_INS):
        LeadIn.objects.get_or_create(label=label, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_initial")]

    operations = [
        migrations.RunPython(add_house_lead_ins, migrations.RunPython.noop),
    ]
