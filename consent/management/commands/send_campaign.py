from django.core.management.base import BaseCommand, CommandError

from consent import marketing
from consent.models import MarketingCampaign


class Command(BaseCommand):
    help = (
        "Send a marketing campaign (created in the staff console) to every user with current "
        "marketing consent, in batches through Celery. Shows the recipient count unless --execute."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)
        parser.add_argument("--execute", action="store_true", help="Really queue the emails.")

    def handle(self, *args, campaign_id: int, execute: bool, **options):
        campaign = MarketingCampaign.objects.filter(pk=campaign_id).first()
        if campaign is None:
            raise CommandError(f"No campaign with id {campaign_id}.")
        if campaign.queued_at is not None:
            raise CommandError(f"Campaign {campaign_id} was already sent.")
        count = marketing.campaign_recipients(campaign=campaign).count()
        if not execute:
            self.stdout.write(
                f"Would send “{campaign.subject}” to {count} consenting users. "
                "Run again with --execute to send."
            )
            return
        marketing.campaign_start(campaign_id=campaign.pk)
        self.stdout.write(f"Queued “{campaign.subject}” for {count} consenting users.")
