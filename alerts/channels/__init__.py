"""Delivery channels by short name: ``webhook``, ``wecom``, ``dingtalk``, ``email``."""

from alerts.channels.base import REGISTRY, Channel, DeliveryError, register
from alerts.channels.dingtalk import DingtalkChannel
from alerts.channels.mail import EmailChannel
from alerts.channels.webhook import WebhookChannel
from alerts.channels.wecom import WecomChannel

__all__ = ["REGISTRY", "Channel", "DeliveryError", "DingtalkChannel", "EmailChannel", "WebhookChannel",
           "WecomChannel", "register"]
