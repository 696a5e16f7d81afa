"""Version 1.1 of the privacy notice: the job tracker, the support form, how long privacy
requests and their audit trail are kept, and the CCPA categories listed from the personal-data
map. A material change: published with the banner and one email to every verified account
(the notice email job picks up a material version nobody has been emailed about yet).
"""

import datetime

from django.db import migrations
from django.utils import timezone

NUMBER = "1.1"
EFFECTIVE = datetime.date(2026, 12, 1)
SUMMARY = (
    "New: the job tracker (the jobs you track, and how long archived jobs are kept), the "
    "support form and how long its messages are kept, how long privacy requests and the record "
    "of our staff's actions are kept, and the California categories of personal information, "
    "listed from what JobTrax actually keeps. Regions are now official states, provinces or "
    "regions, and signed-in session records keep no full browser string or IP address."
)

BODY = """This privacy notice for {{ company.name }} ("JobTrax", "we", "us", or "our") describes how and why we collect, store, use, disclose, and otherwise process your personal information when you use our services (the "Services"), such as when you:

- visit our website at {{ site.url }} or any website of ours that links to this privacy notice;
- use the JobTrax web application as a job seeker;
- contact us for support, sales, or feedback.

JobTrax is designed to collect as little personal information as possible. We generally only collect information needed to:

- let you create and access an account;
- understand where our users are generally located;
- secure, troubleshoot, and improve the Service.

By using the Services, you signify your acceptance of this privacy notice. If you do not agree to this privacy notice, please do not use the Services.

We may change this privacy notice from time to time by posting changes at this URL and updating the "Last updated" date above. Every earlier version stays available in the [archive of versions]({{ links.versions }}). When a change is material, we also tell you in the app and by email (see section 13). Your continued use of the Services following the posting of such changes will be deemed your acceptance of those changes.

If you have any questions or concerns, you can contact us at [{{ contact.privacy_email }}](mailto:{{ contact.privacy_email }}).

## Summary of key points

**What personal information do we process?** JobTrax collects minimal data, typically limited to:

- your email address;
- your password (stored in hashed form, never in plain text);
- your location (a country and a region at most, which you provide or we infer);
- the jobs you choose to track, with your notes, stages and dates;
- your IP address and technical log data.

**Why do we collect it?** We use this information to:

- create and secure your account;
- understand where our users are generally located;
- keep the Service secure, detect abuse, and fix technical problems;
- communicate with you regarding the Service and relevant updates.

**Do we process sensitive personal information?** No. We do not intentionally collect or process sensitive personal information (such as health data, government IDs, or complete financial data) unless you voluntarily submit it to us.

**Do we sell or share your data?** We do not sell your personal information. We do not share your personal information for cross-context behavioral advertising (as defined under CCPA/CPRA) unless you explicitly consent to such tracking via cookie settings.

**What are your rights?** Depending on where you live (for example the EU/EEA, the UK, California, or other US states), you may have rights to access, correct, delete, or restrict the use of your personal information, and to object to or opt out of certain processing.

## 1. What information do we collect?

JobTrax is a minimal-data job seeker app. At this time, we collect only the following personal information.

### 1.1 Information you provide to us

When you sign up for or use JobTrax, you provide:

- **Email address**: used as your login identifier and to communicate important information.
- **Password**: used to secure access to your account. Your password is stored in hashed form using an industry-standard password hashing algorithm (Argon2id), never in plain text.
- **Location**: either the location you choose to provide or a coarse location we infer from your IP address (a country, and a region at most: one of its official states, provinces or regions) for localization and compliance.
- **Jobs you track**: the postings you save, your notes, stages and dates.

If you contact us directly (by email or through our [support form]({{ links.contact }})), we process the content of your communication and the email address you want our reply sent to.

**Voluntary submission of sensitive data.** We do not require you to upload a résumé, cover letter, or other job documents, and we do not store such documents by default. Please do not include sensitive personal information (such as health information, government identification numbers, or highly confidential financial data) in free-text fields or support messages. You acknowledge that any sensitive personal information you voluntarily submit to the Services is provided at your own risk and you consent to our processing of it in accordance with this notice.

### 1.2 Information collected automatically

When you use the Services, our systems automatically collect limited technical information, such as:

- **IP address**: used for security (detecting suspicious activity), basic analytics, and coarse geolocation.
- **Browser type and technical data**: such as browser version, operating system, and device type. We keep the browser, its version, the operating system and the device type, never the full browser identification string.
- **Usage and log information**: date and time of requests, pages visited, and error logs.

We use this data primarily to:

- keep JobTrax secure and functional;
- monitor performance and stability;
- diagnose and fix technical issues.

## 2. How do we use your information?

We use the information listed above only for limited, clearly defined purposes:

- **To provide and operate the Service**: create and manage your account, authenticate logins, and maintain localization settings.
- **To secure the Service**: detect and prevent fraudulent or abusive activity, protect our infrastructure, and monitor security logs.
- **To troubleshoot and improve**: analyze logs to understand errors, performance issues, and user experience trends.
- **To communicate with you**: send service-related notices (password resets, security alerts, changes to this notice) and respond to your support requests.
- **To send marketing communications**: with your consent (where required), we may send you information about new features or services. You may opt out of these communications at any time.
- **To comply with legal obligations**: meet tax, accounting, and data protection requirements, or respond to lawful requests from public authorities.

**Automated decision-making.** We do not use your personal information for automated decision-making or profiling that produces legal or similarly significant effects concerning you.

## 3. Legal bases for processing (EU/UK users)

If you are located in the European Economic Area (EEA) or the United Kingdom (UK), we process your personal information under the following legal bases:

- **Performance of a contract**: necessary to provide the JobTrax Services (for example account creation and operation of the Service).
- **Legitimate interests**: necessary for our legitimate business interests, such as maintaining security, preventing fraud, improving the Service, and analyzing aggregate usage, provided these interests are not overridden by your rights.
- **Legal obligation**: necessary to comply with applicable laws (for example tax records and lawful requests from authorities).
- **Consent**: where we ask for your specific consent (for example for optional cookies or marketing emails). You may withdraw consent at any time.

## 4. When and with whom do we share your personal information?

We do not "sell" your personal information. We may share your information with the following categories of third parties.

### 4.1 Service providers (processors)

We use third-party providers to help operate JobTrax. These providers act as data processors and are bound by contractual obligations to protect your data. The categories, and whether each is in use in this deployment, are:

{{ processors }}

The [processors page]({{ links.processors }}) shows the same list, with what each category receives. We do not store full credit card numbers. For AI features, we send only the content you ask us to process, and we use enterprise-grade settings designed to prevent your data from being used to train these providers' publicly available models. However, we cannot guarantee the internal data handling practices of third-party AI providers beyond their stated terms and contractual commitments.

### 4.2 Legal and safety-related disclosures

We may disclose information if necessary to:

- comply with laws, legal processes, or government requests;
- enforce our terms and agreements;
- protect the rights, property, or safety of JobTrax, our users, or the public.

### 4.3 Business transfers

If JobTrax is involved in a merger, acquisition, or sale of assets, your information may be transferred as part of that transaction.

## 5. Cookies and other tracking technologies

We use cookies and similar technologies to collect and store information.

- **Strictly necessary cookies**: essential for the Service to function (for example keeping you logged in).
- **Analytics cookies**: with your consent (where required), we may use analytics tools (such as Google Analytics) to understand how users interact with the Service.

You can control cookies through your browser settings and through your [privacy choices]({{ links.choices }}). If you disable strictly necessary cookies, the Service may not function correctly.

## 6. How long do we keep your information?

We retain personal information only as long as necessary:

- **Account data**: stored while your account is active. An account whose email address is never verified is deleted after {{ retention.unverified_accounts }}. An account without a sign-in for {{ retention.inactive_accounts }} is deleted, after a warning by email. When an account is closed, its data is deleted; we keep only a deletion receipt, for {{ retention.deletion_receipts }}, and its consent records, for {{ retention.account_consent }} after closure, for record-keeping and legal compliance, then delete them too.
- **Logs and technical data**: retained for a limited period ({{ retention.request_logs_anonymise }} to {{ retention.request_logs_delete }}) for security and troubleshooting. Request logs are anonymized after {{ retention.request_logs_anonymise }} (the account link and browser string are removed and the IP address is shortened) and deleted after {{ retention.request_logs_delete }}. The security event log is deleted after {{ retention.security_events }}, and the consent records of visitors without an account after {{ retention.visitor_consent }}.
- **Jobs you track**: kept while your account is active. A job you archive is deleted {{ retention.archived_jobs }} after you archive it.
- **Supporting records**: data export files are deleted after {{ retention.export_files }}; expired sessions, email confirmations, password reset keys and the records of your signed-in sessions (browser, operating system, device type and a shortened IP address) after {{ retention.auth_leftovers }}; the staff console's change history after {{ retention.admin_log_entries }}.
- **Communications**: messages you send us through the support form are deleted {{ retention.support_messages }} after they are closed. We record that we replied, and when, but keep no copy of our reply.
- **Privacy requests**: a request to exercise your privacy rights is deleted {{ retention.data_subject_requests }} after it is closed. The record of what our staff did with it is kept until the request itself is deleted, and records of other staff actions on personal data for {{ retention.audit_records }}.

When data is no longer needed, we delete or anonymize it.

## 7. How do we keep your information safe?

We implement technical and organizational measures to protect your data, including:

- encryption in transit (HTTPS/TLS);
- secure password hashing (Argon2id);
- access controls and monitoring.

While we strive to protect your information, no electronic transmission or storage is 100% secure. You are responsible for keeping your credentials confidential.

## 8. Do we collect information from minors?

The Services are not intended for users under {{ minimum_age }}. We do not knowingly collect personal information from children. If we learn we have collected such information, we will delete it. Contact [{{ contact.privacy_email }}](mailto:{{ contact.privacy_email }}) if you believe we hold data about a minor.

## 9. Your privacy rights

Depending on your location, you may have rights to:

- **Access**: request a copy of your personal information.
- **Correction**: request updates to inaccurate data.
- **Deletion**: request deletion of your data (subject to legal exceptions).
- **Restriction and objection**: limit processing or object to processing based on legitimate interests.
- **Portability**: request a copy of your data in a machine-readable format.
- **Withdrawal of consent**: withdraw consent you gave earlier.

To exercise these rights, use the [Your data]({{ links.your_data }}) page once signed in, or contact us at [{{ contact.privacy_email }}](mailto:{{ contact.privacy_email }}). We may verify your identity before fulfilling requests.

## 10. Additional information for California residents

If you are a California resident, the CCPA/CPRA provides specific rights.

**Categories collected.** In the past {{ law.ccpa_lookback }}, we have collected the following categories of personal information, each listed with the kinds of data it covers:

{{ ccpa.categories }}

**No sale or sharing.** JobTrax does not "sell" personal information. We do not "share" personal information for cross-context behavioral advertising unless you have opted in to tracking cookies.

**Rights.** You have the right to request access, correction, and deletion of your data, and the right not to be discriminated against for exercising these rights. You may submit requests by email to [{{ contact.privacy_email }}](mailto:{{ contact.privacy_email }}).

## 11. Do-Not-Track signals

Most browsers allow you to send "Do-Not-Track" (DNT) signals. There is no consensus on how to interpret these signals. Consequently, we do not currently respond to DNT signals, but we do honor Global Privacy Control (GPC) signals where required by applicable law.

## 12. International data transfers

JobTrax is operated from the United States. Your information may be processed in the US or other countries where our providers are located.

For transfers from the EEA, the UK or Switzerland, we rely on appropriate safeguards, such as:

- **Standard Contractual Clauses (SCCs)**: approved legal clauses that ensure data protection.
- **Data Privacy Frameworks**: if and when JobTrax is certified under the EU-US Data Privacy Framework (DPF) or its UK extension, we rely on that framework; otherwise, we rely on SCCs and adequate supplementary measures.

## 13. Changes to this notice

We will update this notice as necessary. The updated version is indicated by its version number and the "Last updated" date, and every earlier version stays available in the [archive]({{ links.versions }}), where you can compare any version with the one before it, with additions and removals marked.

- **Material changes** (a change to what we collect, why, who receives it, or how long we keep it): every signed-in user sees a notice in the app, with a summary and a link to the changes, until they acknowledge it, and every account with a verified email address receives one email about it.
- **Minor changes** (wording, clarifications, corrections): we update this page, its "Last updated" date and the archive, without a banner or an email.

We encourage you to review this notice frequently.

## 14. How to contact us

If you have questions about this notice, please contact us at:

{{ company.name }}<br>
Privacy: [{{ contact.privacy_email }}](mailto:{{ contact.privacy_email }})<br>
Support: [{{ contact.support_email }}](mailto:{{ contact.support_email }})

## 15. How to review, update, or delete your data

You may review, download, or delete your data on the [Your data]({{ links.your_data }}) page once signed in, or request it by emailing [{{ contact.privacy_email }}](mailto:{{ contact.privacy_email }}). We will respond in accordance with applicable laws.

## 16. AI features and content

Certain features use artificial intelligence ("AI") provided by third parties (for example OpenAI or Anthropic).

- **Data usage**: we send your inputs ("AI Inputs") to these providers solely to generate the response ("AI Outputs"). We configure our accounts to opt out of model training where possible, but we rely on the providers' compliance with those settings.
- **Accuracy and liability**: AI Outputs may be inaccurate, misleading, or biased. You are responsible for evaluating the accuracy of any AI Output before using it. You acknowledge that due to the nature of machine learning, AI Outputs may not be unique, and the AI may generate similar outputs for other users.
- **Professional advice**: do not rely on AI Outputs as professional legal, medical, or financial advice.
"""


def publish(apps, schema_editor):
    NoticeVersion = apps.get_model("privacy", "NoticeVersion")
    if NoticeVersion.objects.filter(number=NUMBER).exists():
        return
    now = timezone.now()
    NoticeVersion.objects.create(
        number=NUMBER,
        effective_date=min(EFFECTIVE, now.date()),
        body=BODY,
        change_summary=SUMMARY,
        material=True,
        status="published",
        created_at=now,
        published_at=now,
    )


def unpublish(apps, schema_editor):
    NoticeVersion = apps.get_model("privacy", "NoticeVersion")
    version = NoticeVersion.objects.filter(number=NUMBER, status="published").first()
    if version is None:
        return
    for name in ("NoticeAcknowledgement", "NoticeDelivery", "NoticeSignup"):
        if apps.get_model("privacy", name).objects.filter(version=version).exists():
            return  # people were told about it or signed up under it: it stays
    version.delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_notice_1_0")]

    operations = [migrations.RunPython(publish, unpublish)]
