"""A deterministic sample company: every canonical table of a realistic B2B seller.

Nubalia Cloud is a Spanish SaaS company (a CRM and sales-automation tool for small
and mid-sized companies) that sells across Europe, in EUR. :func:`generate_sample`
draws its leads, deals, customers, marketing touches, ad spend, e-mail sends and web
analytics from 2025-01-01 to 2026-10-31 (by default); :func:`write_sample` writes
them into ``data/sample/`` as the files its tools export, byte for byte the same for
the same arguments: leads and deals as HubSpot contacts and deals exports, spend
from Google Ads, Microsoft Advertising, Meta and LinkedIn, e-mail from Mailchimp,
web analytics from GA4, and leadkpi's canonical CSV for touches, customers, the
spend no ad platform reports and the costs beyond ad spend (tools, an agency, SDR
salaries, trade fairs). ``leadkpi.yaml`` reads each with its vendor's profile
and gives back the generated tables (HubSpot's times are the portal's wall clock,
so a time in the hour repeated when summer time ends reads as the first of the two).

What the data holds
-------------------
- Nine channels (``paid_search``, ``organic_search``, ``paid_social``,
  ``organic_social``, ``email``, ``referral``, ``direct``, ``display``, ``events``)
  and 22 campaigns that start and stop in different months; organic, direct and
  referral leads have no campaign. Source, medium, UTM parameters and landing pages
  agree with the channel.
- Leads arrive in office hours, more on weekdays, with growth over time; accounts
  have several contacts; a lead's score reflects company size, industry, seniority
  and channel. The funnel: about 40 % of leads become MQLs, about 40 % of MQLs
  SQLs, about 60 % of SQLs opportunities and about 30 % of opportunities are won;
  a few SQLs skip the MQL stage. Leads created near the end have had no time to
  progress: nothing is dated after the last day.
- About 10 % of leads are never called by sales. Won deals are worth twelve times
  the customer's monthly recurring revenue (150-5,000 EUR by company size).
  Customers churn at roughly 2-3 % a month.
- Spend follows the leads each campaign brings (plausible cost per lead per
  channel), web sessions follow ad clicks or lead volume, form submissions follow
  leads, and e-mail lists grow with the leads database.

Effects planted for an analyst to find
--------------------------------------
1. ``paid_social`` brings the cheapest leads (lowest spend per lead) but the lowest
   lead-to-customer conversion.
2. Speed to lead: leads first called within an hour convert several times better
   than leads called after 24 hours; never-called leads almost never become
   customers. One sales rep (Raúl Delgado) is systematically slow to call.
3. ``events`` (webinars and trade fairs) have a high cost per lead but the highest
   conversion.
4. Seasonality: fewer leads in August and in the second half of December.
5. Customers acquired through ``paid_social`` churn several times faster.

Examples
--------
>>> from leadkpi.datasets import generate_sample
>>> tables = generate_sample(n_leads=500)
>>> sorted(tables)
['costs', 'customers', 'deals', 'email', 'leads', 'spend', 'touches', 'web']
"""

from leadkpi.datasets._generate import TABLE_NAMES, generate_sample
from leadkpi.datasets._load import load_sample
from leadkpi.datasets._write import SOURCES, write_sample

__all__ = ["SOURCES", "TABLE_NAMES", "generate_sample", "load_sample", "write_sample"]
