# Webhook signing secrets are encrypted at rest (intake.crypto), like personal data.

import officer_console.api.models
from django.db import migrations, models


def seal(apps, schema_editor):
    from intake import crypto

    Endpoint = apps.get_model("officer_console", "WebhookEndpoint")
    for endpoint in Endpoint.objects.only("pk", "secret"):
        sealed = crypto.encrypt_json({"secret": endpoint.secret})
        Endpoint.objects.filter(pk=endpoint.pk).update(secret_sealed=sealed)


def unseal(apps, schema_editor):
    from intake import crypto

    Endpoint = apps.get_model("officer_console", "WebhookEndpoint")
    for endpoint in Endpoint.objects.only("pk", "secret_sealed"):
        secret = crypto.decrypt_json(endpoint.secret_sealed)["secret"]
        Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret)


class Migration(migrations.Migration):

    dependencies = [
        ('officer_console', '0009_assisted_entry'),
    ]

    operations = [
        migrations.AddField(
            model_name='webhookendpoint',
            name='secret_sealed',
            field=models.TextField(default='', verbose_name='서명 비밀값, 암호화 (signing secret, encrypted)'),
            preserve_default=False,
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField(
            model_name='webhookendpoint',
            name='secret',
        ),
        migrations.AlterField(
            model_name='webhookendpoint',
            name='secret_sealed',
            field=models.TextField(default=officer_console.api.models.new_sealed_webhook_secret, verbose_name='서명 비밀값, 암호화 (signing secret, encrypted)'),
        ),
    ]
