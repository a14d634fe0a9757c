"""Proactive notifications: order events become personal messages, one per milestone per order and channel.

- `journeys`: which events send what on which channel, by default (a shop's settings switch and edit them);
- `settings`: a shop's branding, journey switches, quiet hours and edited templates (a JSON document);
- `planning`: the outbox rows, written in the transaction of the events that caused them;
- `rendering`, `context`, `catalog/`, `templates/`: sandboxed templates in five languages, branded and inlined;
- `sending`: the `send_notifications` drain, with retries for transient errors only;
- `links`, `consent`, `quiet_hours`, `transports`: signed links, unsubscribes, waiting for the shopper's morning,
  and which provider carries each channel;
- `messages`: a leased row as the email, SMS or event its channel carries; `privacy`: forgetting a shopper.
"""
