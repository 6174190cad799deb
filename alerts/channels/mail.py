"""Mail through SMTP (stdlib smtplib): plain text, the daily table attached."""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import ClassVar

from alerts.channels.base import Channel, DeliveryError, register
from alerts.channels.render import render
from core import Case, OutboxItem


@register
class EmailChannel(Channel):
    """An SMTP server and a list of recipients."""

    type: ClassVar[str] = "email"

    def message(self, item: OutboxItem) -> EmailMessage:
        """The mail for one outbox item."""
        msg = render(item.payload, self.console_url)
        mail = EmailMessage()
        mail["Subject"] = ("【紧急】" if msg.urgent else "") + msg.title
        mail["From"] = self.config.sender
        mail["To"] = ", ".join(self.config.recipients)
        mail["Date"] = formatdate(self.clock().timestamp(), localtime=False)
        mail["Message-ID"] = make_msgid(idstring=item.id.replace(":", "."), domain="yuqing.local")
        mail["X-Yuqing-Idempotency-Key"] = str(item.payload.get("idempotency_key", item.id))
        mail.set_content(msg.text)
        for name in msg.attachments:
            path = Path(name)
            if not name or not path.is_file():
                continue
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            maintype, subtype = ctype.split("/", 1)
            mail.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
        return mail

    def send(self, item: OutboxItem, case: Case | None) -> str | None:
        """Hand the mail to the SMTP server; 4xx and connection problems retry, 5xx do not."""
        cfg = self.config
        mail = self.message(item)
        try:
            if cfg.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            with smtp:
                if cfg.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                password = cfg.smtp_password(self.environ)
                if cfg.username and password is not None:
                    smtp.login(cfg.username, password.get_secret_value())
                refused = smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError:
            raise DeliveryError(f"{self.name}: SMTP login refused", permanent=True) from None
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError(f"{self.name}: every recipient refused", permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"{self.name}: SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{self.name}: {type(exc).__name__}") from None
        if refused:
            raise DeliveryError(f"{self.name}: refused {', '.join(sorted(refused))}", permanent=True)
        return mail["Message-ID"]
