#!/usr/bin/python3
"""Generate ticketd's sample data (tests/data/service/{lists,tickets}/*.json).

Run from anywhere: /usr/bin/python3 tests/data/service/gen-data.py
The output is committed; rerun after editing this file. Deterministic (no
clock, fixed seed). Members starting with "_" in list files are ticketd's own
metadata (MDO overrides, auto-assignment) and never reach a ticket.
"""
import datetime, json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
random.seed(4711)

def write(rel, obj):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")

RIGHT_FULL = {"Mask": "FULL", "Reason": ""}

# --- associates -------------------------------------------------------------
ASSOC = [
    # id, login, person, full name, type, group, deleted, ejuser
    (1, "ADM", 9, "Admin Adminson", "InternalAssociate", 1, False, 1),
    (5, "BOD", 101, "Bjørn Ødegård", "InternalAssociate", 2, False, 5),
    (6, "AKV", 102, "Åse Kværnø", "InternalAssociate", 2, False, 6),
    (7, "ZOE", 103, "Zoë Martin", "InternalAssociate", 2, False, 7),
    (8, "JAL", 104, "José Álvarez", "InternalAssociate", 3, False, 8),
    (9, "KNO", 105, "Kari Nordmann", "InternalAssociate", 3, False, 9),
    (10, "OHA", 106, "Ola Hansen", "InternalAssociate", 2, False, 10),
    (11, "SLI", 107, "Siri Lindqvist", "InternalAssociate", 3, False, 11),
    (12, "JGR", 108, "Jürgen Groß", "InternalAssociate", 4, False, 12),
    (13, "ATA", 109, "田中 愛子 (Aiko Tanaka)", "InternalAssociate", 4, False, 13),
    (14, "PRA", 110, "Priya Raman", "InternalAssociate", 2, False, 14),
    (15, "MBO", 111, "Mikkel Bøe", "InternalAssociate", 2, True, 15),
    (16, "ROBOT", 0, "Support Robot", "SystemAssociate", 0, False, 16),
    (819, "JD", 494, "Jane Doe", "InternalAssociate", 2, False, 819),  # the classic diff examples (ticket 906)
]
associates = []
for aid, login, pid, full, typ, grp, deleted, ej in ASSOC:
    associates.append({
        "AssociateId": aid, "Name": login, "PersonId": pid, "Rank": aid, "Tooltip": full,
        "Type": typ, "GroupIdx": grp, "FullName": full, "FormalName": full,
        "Deleted": deleted, "EjUserId": ej, "UserName": login.lower(),
        "TableRight": None, "FieldProperties": {}})
write("lists/associate.json", associates)

def assoc(aid):
    a = dict(next(x for x in associates if x["AssociateId"] == aid))
    return a

# --- ticket statuses ----------------------------------------------------------
STATUSES = [
    (1, "Open", "Active", "Internally", True),
    (2, "Closed", "Closed", "None", False),
    (3, "Postponed", "Postponed", "None", False),
    (4, "Deleted", "Deleted", "None", False),
    (5, "Merged", "Merged", "None", False),
    (6, "Waiting for customer", "Active", "Externally", False),
    (7, "Escalated to 2nd line", "Active", "Internally", False),
    (8, 'US:"Waiting for supplier";NO:"Venter på leverandør";GE:"Warten auf Lieferant"', "Active", "Externally", False),
]
statuses = [{"TicketStatusId": i, "Name": n, "Status": s, "TimeCounter": tc, "NoEmailReopen": False,
             "IsDefault": d, "UsedInQueue": s == "Active", "TableRight": None, "FieldProperties": {}}
            for i, n, s, tc, d in STATUSES]
write("lists/ticketstatus.json", statuses)

# --- priorities ---------------------------------------------------------------
def prio(i, name, status, flags, order, deadline):
    p = {"TicketPriorityId": i, "Name": name, "Status": status, "Flags": flags, "SortOrder": order,
         "TicketRead": "Continue", "ChangedOwner": "Continue", "TicketNewinfo": "Continue",
         "TicketClosed": "Stop", "TicketChangedPriority": "Continue", "TicketNew": "Continue",
         "Deadline": deadline}
    for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        work = d not in ("Sat", "Sun")
        p[d + "Start"] = "0001-01-01T08:00:00" if work else "0001-01-01T00:00:00"
        p[d + "Stop"] = "0001-01-01T16:00:00" if work else "0001-01-01T00:00:00"
    p.update({"NonDates": [], "EscalationLevels": [], "TableRight": None, "FieldProperties": {}})
    return p
priorities = [
    prio(1, "Low", "Normal", "None", 1, 0),
    prio(2, "Medium", "Normal", "AlertSchedule", 2, 48),
    prio(3, "High", "Normal", "AlertSchedule", 3, 8),
    prio(4, "Critical – 24/7", "Normal", "AlertSchedule, DeadlineFromFirstMessage", 4, 2),
    prio(5, "Legacy urgent (do not use)", "Deleted", "None", 5, 0),
]
write("lists/ticketpriority.json", priorities)

# --- categories (hierarchy; Fullname is the path) ----------------------------
CATS = [
    # id, parent, name, deleted, auto-assign associate
    (1, -1, "Support", False, 5),
    (2, 1, "Printers", False, 7),
    (3, 1, "Network", False, 8),
    (4, 3, "VPN", False, 12),
    (5, 1, "Legacy fax", True, 5),
    (6, -1, "Sales", False, 10),
    (7, 6, "Licences", False, 14),
    (8, -1, "Administration", False, 9),
    (9, 8, "Accounting", False, 11),
    (10, 1, "Kundeservice – Ærlig talt", False, 6),
    # a multi-language name, as a tenant stores it: without Accept-Language
    # ticketd answers it encoded, as the service does
    (11, -1, 'NO:"Leverandør";US:"Supplier"', False, 10),
]
byid = {c[0]: c for c in CATS}
def fullname(cid):
    parts = []
    while cid != -1:
        c = byid[cid]; parts.insert(0, c[2]); cid = c[1]
    return "/".join(parts)
categories = []
for cid, parent, name, deleted, owner in CATS:
    categories.append({
        "TicketCategoryId": cid, "ParentId": parent, "Name": name, "Fullname": fullname(cid),
        "CategoryMaster": owner, "Flags": "AcceptWhenReplying", "DelegateMethod": "Even",
        "ExternalName": "", "ClosingStatus": "Active", "MsgClosingStatus": "Active",
        "AssignmentLag": 0, "ReplyTemplate": 0, "NotificationEmail": "",
        "DefaultTicketStatus": None, "DefaultMessageStatus": None,
        "ExtraFields": {}, "CustomFields": {}, "TableRight": None, "FieldProperties": {},
        "_mdo": {"Deleted": deleted, "Rank": cid,
                 "ExtraInfo": "parentId=%d&replyTemplateId=-1" % max(parent, 0)},
        "_assign": owner})
write("lists/ejcategory.json", categories)

# --- tags ---------------------------------------------------------------------
TAGS = [(1, "VPN"), (2, "Printer"), (3, "Hardware"), (4, "Network"), (5, "Billing"),
        (6, "VIP customer"), (7, "Security"), (8, "Onboarding"), (9, "Høy prioritet"), (10, "紧急"),
        (12, "VIP"), (779, "Printer")]  # 12 and 779: the classic tag example (ticket 906)
tags = [{"Id": i, "Name": n, "ToolTip": "", "_mdo": {"Rank": i}} for i, n in TAGS]
write("lists/tags.json", tags)

# ticketd's own assignment fallback for OwnedBy 2147483647 (see src/server/README)
write("lists/assignment.json", {"default": 5, "comment":
      "OwnedBy 2147483647: the category's _assign associate, else this default"})

def ent(lst, key, i):
    e = dict(next(x for x in lst if x[key] == i))
    return {k: v for k, v in e.items() if not k.startswith("_")}

# --- persons (customers) -------------------------------------------------------
def person(pid, first, last, contact_id, contact, email):
    return {"PersonId": pid, "Firstname": first, "Lastname": last, "FullName": first + " " + last,
            "ContactId": contact_id, "ContactName": contact, "Email": email,
            "TableRight": None, "FieldProperties": {}}

PERSONS = [
    # id, first, last, contact id, contact, e-mail
    (501, "Ingrid", "Fjellheim", 301, "Nordlys Shipping AS", "ingrid.fjellheim@nordlys-shipping.no"),
    (502, "Øystein", "Brekke", 301, "Nordlys Shipping AS", "oystein.brekke@nordlys-shipping.no"),
    (503, "Zoë", "Lefèvre", 302, "Lefèvre & Fils SARL", "zoe@lefevre-fils.fr"),
    (504, "Ingrid", "Berg", 303, "Fjordkraft Eksempel AS", "ingrid.berg@fjordkraft-eksempel.no"),
    (505, "Lars", "Fjellheim", 301, "Nordlys Shipping AS", "lars.fjellheim@nordlys-shipping.no"),
    (506, "Åse", "Kværnø", 303, "Fjordkraft Eksempel AS", "ase.kvaerno@fjordkraft-eksempel.no"),
    (507, "José", "Álvarez", 304, "Ejemplo SL", "jose.alvarez@ejemplo.es"),
    (508, "小明", "王", 305, "上海办公室", "xiaoming.wang@example.cn"),
]
persons = [person(*p) for p in PERSONS]
write("lists/person_new.json", persons)
def pers(pid):
    return dict(next(x for x in persons if x["PersonId"] == pid))

# ticket types (MDO list "tickettype"; the TicketType carrier: TicketTypeId, Name, ...)
TYPES = [(1, "Standard", True, False), (2, "Incident", False, False), (3, "Service request", False, False),
         (4, "Legacy form", False, True)]
tickettypes = [{"TicketTypeId": i, "Name": n, "Icon": "", "DefaultTicketStatus": 1, "DefaultTicketPriority": 2,
                "IsDefault": d, "ShowInNew": not dl, "ExcludeSignature": False, "ExcludeEmailRecipients": False,
                "ExternalAsDefault": False, "VisibleForGroups": [], "ReplyForwardNoSignature": False,
                "ReplyExternalAsDefault": False, "TableRight": None, "FieldProperties": {},
                "_mdo": {"Deleted": dl, "Rank": i}} for i, n, d, dl in TYPES]
write("lists/tickettype.json", tickettypes)

# sales (MDO list "sale"; the Sale carrier: SaleId, Title, ...) and projects ("project")
SALES = [(71, "VPN appliance upgrade, Bergen", 301, "Nordlys Shipping AS", 25000.0, "Open", False),
         (72, "Printer service agreement 2027", 303, "Fjordkraft Eksempel AS", 8400.0, "Sold", False),
         (73, "Fax line renewal", 301, "Nordlys Shipping AS", 0.0, "Lost", True)]
sales = [{"SaleId": i, "Title": t, "ContactId": cid, "ContactName": cn, "Amount": amt, "Currency": "NOK",
          "Status": st, "SaleDate": "2026-12-01T00:00:00", "Probability": 50, "Description": "",
          "TableRight": None, "FieldProperties": {}, "_mdo": {"Deleted": dl, "Rank": i}}
         for i, t, cid, cn, amt, st, dl in SALES]
write("lists/sale.json", sales)
PROJECTS = [(41, "Network refresh 2026", "P-2026-04", False), (42, "Office move Sandviken", "P-2026-09", False),
            (43, "Fax decommissioning", "P-2025-11", True)]
projects = [{"ProjectId": i, "Name": n, "ProjectNumber": num, "Type": "", "Status": "", "Completed": dl,
             "TableRight": None, "FieldProperties": {}, "_mdo": {"Deleted": dl, "Rank": i}}
            for i, n, num, dl in PROJECTS]
write("lists/project.json", projects)

# custom fields: the metadata GET Ticket/CustomField answers (the documented
# members, DisplayName and Description possibly multi-language encoded).
# Every ticket carries every one of them in CustomFields, an unset one as "".
def cf(name, ftype, label, rank, desc="", mandatory=False, readonly=False, hide=False, tvn=None):
    return {"FieldType": ftype, "FieldName": name, "DisplayName": label, "Description": desc,
            "ShortLabel": "", "HideLabel": False, "HideField": hide, "IsIndexed": False,
            "IsMandatory": mandatory, "IsReadOnly": readonly, "IsExternal": False, "Rank": rank,
            "TemplateVariableName": tvn}
CUSTOM = [
    cf("x_site", "ShortText", 'NO:"Sted";US:"Site"', 1, 'US:"Customer site or office";NO:"Kundens kontor"'),
    cf("x_affected_users", "Integer", 'NO:"Berørte brukere";US:"Affected users"', 2,
       "How many users have the problem", mandatory=True),
    cf("x_onsite_visit", "Checkbox", "Onsite visit needed", 3),
    cf("x_rma_number", "ShortText", "RMA number", 4, "Return authorisation from the vendor"),
    cf("x_next_visit", "Date", "Next visit", 5),
    cf("x_reported_at", "DateTime", "Reported by customer at", 6),
    cf("x_note", "LongText", "Note", 7),
    cf("x_amount_nok", "Decimal", "Amount (NOK)", 8),
    cf("SuperOffice:1", "ShortText", "Contract", 9, tvn="cs01"),
    cf("SuperOffice:2", "Decimal", "Hours estimated", 10, tvn="cd01"),
    cf("SuperOffice:3", "Checkbox", "SLA breached", 11, "Set by the SLA monitor", readonly=True, tvn="cc01"),
    cf("x_printer_model", "ShortText", "Printer model", 12),
    cf("x_floor", "Integer", "Floor", 13),
    cf("x_invoice", "ShortText", "Invoice", 14),
    cf("x_foo", "ShortText", "Foo", 15),
    cf("x_bell", "ShortText", "Bell", 16),
    cf("x_sync_key", "ShortText", "Sync key (integration)", 17, hide=True),
]
write("lists/customfields.json", CUSTOM)
def custom_values(given):
    """Every defined field, in Rank order; unset ones empty ("", a checkbox [I:0])."""
    out = {}
    for c in CUSTOM:
        out[c["FieldName"]] = "[I:0]" if c["FieldType"] == "Checkbox" else ""
    for k, v in (given or {}).items():
        assert k in out, "custom field %s is not defined" % k
        out[k] = v
    return out

EMPTY_DATE = "0001-01-01T00:00:00"   # a DateTime is never null

# --- tickets --------------------------------------------------------------------
def message(mid, created, author, slevel="External", badge="Comment", pid=0, pname="", cid=0, cname="",
            important=False, created_by=1):
    return {"TicketMessageId": mid, "CreatedAt": created, "Slevel": slevel, "Important": important,
            "Author": author, "PersonId": pid, "PersonFullName": pname, "ContactId": cid,
            "ContactName": cname, "NumAttachments": 0, "EmailHeader": "", "MessageHeaders": [],
            "Language": "", "Sentiment": 0, "SentimentConfidence": 0, "CreatedBy": created_by,
            "ChangedAt": created, "Badge": badge}

# --- message bodies (messages/TICKETID.json: what GET TicketMessage/{id} adds to a
# summary row; see src/server/messages.c) ----------------------------------------
BODIES = {}
def body(tid, mid, text="", html="", header="", msgid="", spent=0):
    BODIES.setdefault(tid, []).append({
        "EjMessageId": mid, "Type": "Html" if html else "Plain", "Body": text, "HtmlBody": html,
        "EmailHeader": header, "MessageId": msgid, "TimeSpent": spent})

FIELD_TYPES = {"Title": ("System.String", 255), "Author": ("System.String", 255),
               "FromAddress": ("System.String", 255), "AlertLevel": ("System.Int32", 4),
               "Deadline": ("System.DateTime", 16), "OwnedBy": ("SuperOffice.CRM.Services.Associate", -1),
               "Category": ("SuperOffice.CRM.Services.TicketCategoryEntity", -1),
               "Priority": ("SuperOffice.CRM.Services.TicketPriorityEntity", -1),
               "Status": ("SuperOffice.CRM.Services.TicketStatusEntity", -1),
               "TicketId": ("System.Int32", 4), "CreatedAt": ("System.DateTime", 16)}
def props(**masks):
    fp = {}
    for f, (t, l) in FIELD_TYPES.items():
        m = masks.get(f, "Read" if f in ("TicketId", "CreatedAt") else "FULL")
        reason = "[SR_MANDATORY_FIELD_2817]" if "Mandatory" in m else ""
        fp[f] = {"FieldRight": {"Mask": m, "Reason": reason}, "FieldType": t, "FieldLength": l}
    return fp

def ticket(tid, title, *, created, changed, style="naive", author="", owner=5, cat=1, prio_id=2,
           status=1, base="Active", origin="Email", slevel="External", alert=0, connect=0,
           read="Green", from_addr="", person_=None, tags_=(), secondary=(), custom=None,
           messages=(), deadline=None, activate=None, alert_timeout=None, table_mask="FULL",
           fieldprops=None, extra=None, ttype=1, sale=None, project=None):
    def d(s):
        if s is None:
            return EMPTY_DATE
        return s + ".0000000+01:00" if style == "offset" and "." not in s and len(s) == 19 else s
    st = ent(statuses, "TicketStatusId", status)
    t = {
        "TicketId": tid, "Title": title, "CreatedAt": d(created), "LastChanged": d(changed),
        "ReadByOwner": d(changed), "ReadByCustomer": "0001-01-01T00:00:00", "FirstReadByOwner": d(created),
        "FirstReadByUser": d(created), "Activate": d(activate), "ClosedAt": "0001-01-01T00:00:00",
        "RepliedAt": d(changed) if messages else "0001-01-01T00:00:00",
        "AlertTimeout": d(alert_timeout), "Deadline": d(deadline),
        "CreatedBy": assoc(16 if origin == "Email" else owner if owner not in (0,) else 1),
        "Author": author, "OwnedBy": assoc(owner) if owner else None, "Slevel": slevel,
        "Category": ent(categories, "TicketCategoryId", cat), "Priority": ent(priorities, "TicketPriorityId", prio_id),
        "Status": st, "BaseStatus": base, "Origin": origin, "AlertLevel": alert, "ConnectId": connect,
        "ReadStatus": read, "TimeToReply": 42, "RealTimeToReply": 67, "TimeToClose": 0, "RealTimeToClose": 0,
        "TimeSpentInternally": 1800, "TimeSpentExternally": 600, "TimeSpentQueue": 3600,
        "RealTimeSpentInternally": 1800, "RealTimeSpentExternally": 600, "RealTimeSpentQueue": 3600,
        "HasAttachment": False, "NumReplies": max(0, len(messages) - 1), "NumMessages": len(messages),
        "FromAddress": from_addr, "Messages": list(messages), "Tags": [ent(tags, "Id", i) for i in tags_],
        "Person": person_, "SecondaryPersons": list(secondary),
        "Sale": ent(sales, "SaleId", sale) if sale else None,
        "Project": ent(projects, "ProjectId", project) if project else None,
        "FormSubmission": None, "TicketType": ent(tickettypes, "TicketTypeId", ttype), "Language": "", "Sentiment": 0,
        "SentimentConfidence": 0, "SuggestedCategoryId": 0, "SuggestedCategoryName": "",
        "OrigHumanCategoryId": cat, "IconHint": "", "ActiveStatusMonitorId": 0, "ExtraFields": {},
        "CustomFields": custom_values(custom),
        "TableRight": {"Mask": table_mask, "Reason": "" if table_mask == "FULL" else "[SR_NO_UPDATE_ACCESS]"},
        "FieldProperties": fieldprops if fieldprops is not None else props(),
        "_Links": {"Self": "/api/v1/Ticket/%d" % tid, "Archive": "/api/v1/Archive/Ticket/%d" % tid},
    }
    if owner == 0:
        t["OwnedBy"] = {"AssociateId": 0, "Name": "", "PersonId": 0, "Rank": 0, "Tooltip": "",
                        "Type": "AnonymousAssociate", "GroupIdx": 0, "FullName": "", "FormalName": "",
                        "Deleted": False, "EjUserId": 0, "UserName": None,
                        "TableRight": None, "FieldProperties": {}}
    if extra:
        t.update(extra)
    write("tickets/%d.json" % tid, t)

kari = pers(501)
ticket(900, "VPN drops every 10 minutes for the Bergen office",
       created="2026-11-20T09:14:03.2209411+01:00", changed="2026-11-26T15:02:44.5180000+01:00", style="offset",
       author="Ingrid Fjellheim <ingrid.fjellheim@nordlys-shipping.no>", owner=12, cat=4, prio_id=3, status=7,
       origin="Email", slevel="External", alert=2, connect=0, read="Yellow",
       from_addr="ingrid.fjellheim@nordlys-shipping.no", person_=kari,
       secondary=[pers(502), pers(503)], ttype=2, project=41,
       tags_=(1, 4, 6),
       custom={"x_site": "Bergen – Sandviken", "x_affected_users": "[I:14]", "x_onsite_visit": "[I:0]",
               "x_rma_number": "", "x_next_visit": "[D:12/02/2026]",
               "x_reported_at": "[DT:11/20/2026 08:55:00.0000000]", "SuperOffice:1": "Contract 2026-118",
               "SuperOffice:2": "[F:3.5]", "SuperOffice:3": "[I:1]", "x_sync_key": "NLS-4471"},
       deadline="2026-11-28T16:00:00.0000000+01:00", activate="2026-11-20T09:14:03.2209411+01:00",
       alert_timeout="2026-11-27T08:00:00.0000000+01:00",
       messages=[
           message(9001, "2026-11-20T09:14:03.2209411+01:00", "Ingrid Fjellheim", pid=501,
                   pname="Ingrid Fjellheim", cid=301, cname="Nordlys Shipping AS"),
           message(9002, "2026-11-20T10:02:17.0000000+01:00", "Jürgen Groß", badge="Reply", created_by=12),
           message(9003, "2026-11-21T08:45:00.0000000+01:00", "Jürgen Groß", slevel="Internal", badge="Note",
                   created_by=12),
           message(9005, "2026-11-21T13:30:12.0000000+01:00", "Ingrid Fjellheim", pid=501,
                   pname="Ingrid Fjellheim", cid=301, cname="Nordlys Shipping AS"),
           message(9006, "2026-11-23T09:10:00.0000000+01:00", "Zoë Martin", slevel="Internal", badge="Note",
                   important=True, created_by=7),
           message(9007, "2026-11-24T08:30:00.0000000+01:00", "Jürgen Groß", badge="Reply", created_by=12),
           message(9008, "2026-11-25T16:40:31.0000000+01:00", "Ingrid Fjellheim", pid=501,
                   pname="Ingrid Fjellheim", cid=301, cname="Nordlys Shipping AS", important=True),
           message(9004, "2026-11-26T15:02:44.5180000+01:00", "Ingrid Fjellheim", pid=501,
                   pname="Ingrid Fjellheim", cid=301, cname="Nordlys Shipping AS"),
       ],
       fieldprops=props(Title="Update, UIHintMandatory"))


# Ticket 900's conversation: HTML and plain e-mails, quotes both ways, two internal notes.
INGRID_FIRST_HTML = (
    '<p>Hi,</p><p>since Monday the VPN connection from our Bergen office (Sandviken) drops every '
    '10&nbsp;minutes. It comes back by itself after about 30&nbsp;seconds, but Teams calls and file '
    'copies break every time.</p><p>What we have tried so far:</p><ul><li>restarting the FortiGate at '
    'the office</li><li>another laptop (same problem)</li><li>a wired connection instead of '
    'Wi&#8209;Fi</li></ul><p>14 users are affected. Could you have a look? It&rsquo;s urgent for us '
    '&mdash; month-end closing starts Friday.</p><p>Best regards,<br>Ingrid Fjellheim<br>IT coordinator, '
    'Nordlys Shipping AS<br><a href="https://nordlys-shipping.no">nordlys-shipping.no</a></p>')
body(900, 9001,
     text="Hi,\n\nsince Monday the VPN connection from our Bergen office (Sandviken) drops every 10 minutes.",
     html='<html><head><style>p { margin: 0 }</style></head><body>' + INGRID_FIRST_HTML + '</body></html>',
     header="From: Ingrid Fjellheim <ingrid.fjellheim@nordlys-shipping.no>\r\nTo: support@example.com\r\n"
            "Subject: VPN drops every 10 minutes for the Bergen office\r\n",
     msgid="<CAF1x9@mail.nordlys-shipping.no>")
body(900, 9002,
     html='<p>Hello Ingrid,</p><p>thanks for the detailed report. To narrow it down, could you please:</p>'
          '<ol><li>run <code>vpn-diag --collect</code> on one of the affected laptops (guide: '
          '<a href="https://support.example.com/kb/vpn-diag">KB 4711</a>),</li><li>note the exact time of '
          'two or three drops,</li><li>send us the file it writes to the desktop.</li></ol>'
          '<p>Kind regards,<br>J&uuml;rgen Gro&szlig;<br>2nd line network support</p>'
          '<p>On 20.11.2026 09:14, Ingrid Fjellheim wrote:</p><blockquote>' + INGRID_FIRST_HTML + '</blockquote>',
     spent=10)
body(900, 9003,
     text="Checked the concentrator logs for vpn-bgr-01: the tunnel is torn down at every phase-2 rekey, "
          "exactly every 600 s.\nThe office FortiGate proposes a 600 s key lifetime, our side 3600 s. "
          "Suspect a lifetime mismatch after their firmware update on the 16th.\n\n"
          "Next: ask Zoë to compare the phase-2 proposals.", spent=25)
body(900, 9005,
     text="Hi Jürgen,\n\nthe diagnostics file is attached (vpn-diag-bgr-laptop07.zip). Drops today at "
          "11:02, 11:12 and 11:22.\n\nIngrid\n\nOn 20.11.2026 10:02, Jürgen Groß wrote:\n"
          "> Hello Ingrid,\n>\n> thanks for the detailed report. To narrow it down, could you please:\n"
          "> 1. run vpn-diag --collect on one of the affected laptops\n"
          "> 2. note the exact time of two or three drops,\n"
          "> 3. send us the file it writes to the desktop.\n>\n> Kind regards,\n> Jürgen Groß\n",
     msgid="<CAF7k2@mail.nordlys-shipping.no>")
body(900, 9006,
     html='<p><b>Confirmed:</b> phase-2 key lifetime is 600&nbsp;s on their FortiGate since firmware '
          '7.2.8 (new default). Fix: <code>set keylife 3600</code> on both sides.</p>'
          '<p>Change window tonight 22:00&ndash;22:15, CAB ticket <a href="https://cab.example.com/2026-881">'
          '2026-881</a>.</p>', spent=40)
body(900, 9007,
     html='<p>Hi Ingrid,</p><p>we found the cause: after the firmware update on 16&nbsp;November your office '
          'firewall renegotiates the VPN keys every 10&nbsp;minutes, while our side expects once an hour. We '
          'aligned both to 3600&nbsp;s last night at 22:00.</p><p>Could you let us know whether the drops are '
          'gone?</p><p>Status page: <a href="https://status.example.com/incidents/2026-1124">incident '
          '2026-1124</a></p><p>Kind regards,<br>J&uuml;rgen</p>', spent=15)
body(900, 9008,
     text="Much better, no drops since yesterday morning!\n\nBut one user (Øystein) still sees a drop about "
          "once an hour. Should we worry?\n\nIngrid")
body(900, 9004,
     html='<p>Update: &Oslash;ystein&rsquo;s laptop still had the old VPN profile (&laquo;Bergen-legacy&raquo;). '
          'After switching to &laquo;Bergen&raquo; it is stable.</p><p>From our side the case can be closed. '
          'Thanks!<br>Ingrid</p>')

ticket(4711, "Printer on 3rd floor prints blank pages", created="2026-10-02T08:30:00",
       changed="2026-10-03T11:12:13", author="Bjørn Ødegård", owner=7, cat=2, prio_id=2, status=1,
       origin="Phone", alert=0, tags_=(2, 3), from_addr="bjorn.odegard@example.no",
       custom={"x_printer_model": "HP LaserJet M507", "x_floor": "[I:3]"},
       messages=[message(47111, "2026-10-02T08:30:00", "Bjørn Ødegård")])
ticket(901, "Outlook keeps asking for password after migration", created="2026-11-02T07:55:10",
       changed="2026-11-02T09:01:00", author="Åse Kværnø", owner=6, cat=1, prio_id=2, status=6,
       origin="Email", from_addr="ase.kvaerno@fjordkraft-eksempel.no", tags_=(8,),
       messages=[message(9011, "2026-11-02T07:55:10", "Åse Kværnø"), message(9012, "2026-11-02T09:01:00", "Åse Kværnø", badge="Reply")])
ticket(902, "Invoice 2026-1043 charged twice", created="2026-11-05T13:20:00", changed="2026-11-06T08:00:00",
       author="José Álvarez", owner=11, cat=9, prio_id=3, status=1, origin="CustomerCentre",
       from_addr="jose.alvarez@ejemplo.es", tags_=(5, 6), custom={"x_invoice": "2026-1043", "x_amount_nok": "[F:12990.5]"}, sale=72)
ticket(903, "打印机无法连接网络", created="2026-11-07T02:10:00", changed="2026-11-07T03:00:00",
       author="王小明", owner=13, cat=2, prio_id=2, status=1, origin="Chat", tags_=(2, 10),
       from_addr="xiaoming.wang@example.cn", custom={"x_site": "上海办公室"})
ticket(904, "New employee onboarding: laptop and accounts for Zoë", created="2026-11-10T10:00:00",
       changed="2026-11-10T10:00:00", author="Kari Nordmann", owner=0, cat=8, prio_id=1, status=1,
       origin="Internal", slevel="Internal", read="Red", tags_=(8,))
ticket(905, "Licence renewal quote for 25 seats", created="2026-09-15T12:00:00", changed="2026-09-20T12:00:00",
       author="Priya Raman", owner=14, cat=7, prio_id=1, status=2, base="Closed", origin="Form",
       tags_=(5,), extra={"ClosedAt": "2026-09-20T12:00:00"})

# the classic diff examples as they stand: Title "suscipit", owner 819, the tag 779 at index 1
ticket(906, "suscipit", created="2026-11-14T08:00:00", changed="2026-11-14T08:30:00",
       author="Jane Doe", owner=819, cat=2, prio_id=2, status=1, origin="Phone", tags_=(2, 779, 5),
       custom={"x_foo": "bar"})

# server text full of control characters and terminal escapes
ESC, BEL = "\x1b", "\x07"
ticket(666, "Urgent" + ESC + "[2J" + ESC + "]0;pwned" + BEL + " invoice\rOVERWRITTEN" + BEL + "\u009b31m red \u202eevil.exe",
       created="2026-11-11T11:11:11", changed="2026-11-11T11:11:11",
       author="Mallory " + ESC + "[31mRed" + ESC + "[0m\u202egnp.exe", owner=5, cat=1, prio_id=2, status=1,
       origin="Email", from_addr="mallory@evil.example",
       custom={"x_note": "tab\there, vertical\x0btab: " + ESC + "[1;1H" + ESC + "[?1049h home", "x_bell": BEL * 3},
       messages=[message(6661, "2026-11-11T11:11:11", "M" + ESC + "]8;;http://evil.example" + ESC + "\\link" + ESC + "]8;;" + ESC + "\\ \u009b2J"),
                 message(6662, "2026-11-11T11:12:00", "Mallory <mallory@evil.example>")])
body(666, 6661, text="Pay now" + ESC + "[2J" + ESC + "]0;pwned" + BEL + "\r\nOVERWRITTEN \u009b31mred\u202e gnp.exe")
NEST = "<div>" * 300 + "deep" + "</div>" * 300
body(666, 6662, html=(
    '<html><head><title>t</title><script>document.write("' + ESC + '[2J pwned")</script>'
    '<style>body { color: red }</style></head><body onload="alert(1)">'
    '<p>Dear support,<script type="text/javascript">alert(\'xss\')</script> please <b>pay</b> invoice&nbsp;#1043 '
    '&#27;[2J&#x1b;]0;pwned&#7; now.</p><!-- hidden <p>comment text</p> -->'
    '<p>Raw: ' + ESC + '[31mred' + ESC + '[0m bell' + BEL + ' C1 \u009b31m bidi \u202egnp.exe</p>'
    '<a href="javascript:alert(document.cookie)">click here</a> '
    '<a href="http://evil.example/' + ESC + ']8;;x' + BEL + '">osc link</a>'
    '<img src=x onerror=alert(1)><blockquote><blockquote><blockquote>deep quote</blockquote></blockquote>'
    '</blockquote>' + NEST + '<p>unclosed <b><i><u>tags &amp;lt;script&amp;gt; &unknown; &#0; &#xD800; '
    '&#1114112; &#99999999999; <![CDATA[ cdata <p> ]]><textarea><p>not a tag</p></textarea>'
    '<pre>\ttab\tand\nnewline</pre><p>end of hostile'))
body(4711, 47111, text="Hi, the printer on the 3rd floor (HP LaserJet M507) prints blank pages since this "
     "morning. Toner was replaced last week.\n\nBjørn")
body(901, 9011, text="After the migration Outlook keeps asking for my password every few minutes.")
body(901, 9012, html="<p>Still happening after a restart. Screenshot: <a href='https://img.example/1.png'>"
     "here</a>.</p>")

# read-only through FieldProperties
ticket(907, "Audit finding: firewall change without approval", created="2026-11-12T09:00:00",
       changed="2026-11-12T09:30:00", author="Siri Lindqvist", owner=11, cat=8, prio_id=3, status=1,
       origin="Internal", slevel="Internal", tags_=(7,),
       fieldprops=props(Title="Update, UIHintMandatory", Author="Read", FromAddress="Update, UIHintReadOnly",
                        AlertLevel="Read", Deadline="UIHintReadOnly", OwnedBy="Read, UIHintReadOnly"))
# TableRight without Update
ticket(908, "Archived: mail server outage 2025-12-24", created="2025-12-24T06:00:00",
       changed="2025-12-27T10:00:00", author="Ola Hansen", owner=10, cat=3, prio_id=4, status=2,
       base="Closed", origin="Phone", table_mask="Select", tags_=(4,),
       extra={"ClosedAt": "2025-12-27T10:00:00"})

# 5,000 messages
msgs = []
people = ["Bjørn Ødegård", "Åse Kværnø", "Zoë Martin", "José Álvarez", "Customer Bot", "Ingrid Fjellheim"]
for i in range(5000):
    day = 1 + i // 200
    sec = (i % 200) * 300
    ts = "2026-10-%02dT%02d:%02d:%02d" % (day, 6 + sec // 3600, (sec // 60) % 60, sec % 60)
    msgs.append(message(500000 + i, ts, people[i % len(people)],
                        slevel="Internal" if i % 7 == 0 else "External",
                        badge="Reply" if i % 2 else "Comment"))
ticket(950, "Monitoring alert loop: disk space warning on fileserver01", created=msgs[0]["CreatedAt"],
       changed=msgs[-1]["CreatedAt"], author="Customer Bot", owner=16, cat=3, prio_id=2, status=1,
       origin="AutoGenerated", tags_=(3, 4), messages=msgs)

# 1,000 messages with bodies: a nightly job's reports and the notes of the people watching it
msgs = []
for i in range(1000):
    t = datetime.datetime(2026, 1, 5, 2, 0, 0) + datetime.timedelta(hours=i * 7, minutes=i % 60)
    ts = t.strftime("%Y-%m-%dT%H:%M:%S")
    mid = 960000 + i
    if i % 10 == 9:
        msgs.append(message(mid, ts, "Ola Hansen", slevel="Internal", badge="Note", important=i % 50 == 49,
                            created_by=10))
        body(960, mid, text="Checked run #%d by hand: %s." % (i, "all good" if i % 20 else
                                                                  "two files skipped (locked), re-run queued"))
    else:
        msgs.append(message(mid, ts, "Backup Robot <backup@fileserver02>", important=i % 100 == 0))
        if i % 25 == 0:
            body(960, mid, html="<p>Backup run <b>#%d</b> on fileserver02</p><ul><li>files: %d</li>"
                                "<li>errors: 0</li><li>duration: %d&nbsp;min</li></ul>" % (i, 12000 + i * 3, 40 + i % 17))
        else:
            body(960, mid, text="Backup run #%d on fileserver02 finished: %d files, 0 errors, %d min." %
                                (i, 12000 + i * 3, 40 + i % 17))
ticket(960, "Nightly backup reports from fileserver02", created=msgs[0]["CreatedAt"],
       changed=msgs[-1]["CreatedAt"], author="Backup Robot", owner=10, cat=3, prio_id=1, status=1,
       origin="AutoGenerated", tags_=(3,), messages=msgs)

for tid, bodies in BODIES.items():
    write("messages/%d.json" % tid, bodies)
