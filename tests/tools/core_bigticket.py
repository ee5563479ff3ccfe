"""Write a big realistic ticket and a realistic edit of it (benchmarks).

Usage: core_bigticket.py NMESSAGES NCUSTOM BASE.json EDITED.json
The edit changes a few fields the way the editor would: Title, the owner
(a whole picked associate object), one tag removed and one added, two custom
fields changed, one added. Messages are untouched.
"""
import copy, json, random, sys

nmsg, ncustom, base_path, edited_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rnd = random.Random(42)
words = "lorem ipsum dolor sit amet printer fire toner paper jam blåbær søknad 日本 naïve café".split()


def text(n):
    return " ".join(rnd.choice(words) for _ in range(n))


base = {
    "TicketId": 900, "Title": "suscipit", "BaseStatus": "Active",
    "Status": {"TicketStatusId": 1, "Name": "Open", "Status": "Active", "TimeCounter": "Internally"},
    "Priority": {"TicketPriorityId": 2, "Name": "Medium", "Status": "Normal", "SortOrder": 2},
    "Category": {"TicketCategoryId": 6, "ParentId": 1, "Name": "On-line", "Fullname": "Support/On-line"},
    "Slevel": "External", "Origin": "Email", "ReadStatus": "Green", "AlertLevel": 0, "ConnectId": 0,
    "OwnedBy": {"AssociateId": 819, "Name": "JD", "PersonId": 494, "Rank": 0, "Tooltip": "", "Type": "InternalAssociate",
                "GroupIdx": 2, "FullName": "Jane Doe", "FormalName": "Jane Doe", "Deleted": False, "EjUserId": 2},
    "Person": {"PersonId": 77, "FullName": "Ola Nordmann"},
    "SecondaryPersons": [{"PersonId": 78 + i, "FullName": text(2)} for i in range(3)],
    "Author": "Jane Doe", "FromAddress": "jane@example.com",
    "CreatedBy": {"AssociateId": 819, "FullName": "Jane Doe"},
    "Tags": [{"Id": i, "Name": text(1), "ToolTip": ""} for i in range(1, 9)],
    "CustomFields": {"x_field_%04d" % i: (i if i % 3 == 0 else text(3) if i % 3 == 1 else {"v": i, "l": [i, i + 1]})
                     for i in range(ncustom)},
    "Deadline": "2020-04-22T15:51:25", "Activate": None, "AlertTimeout": "0001-01-01T00:00:00",
    "CreatedAt": "2020-04-20T09:00:00", "LastChanged": "2020-04-22T15:51:25",
    "NumMessages": nmsg, "NumReplies": nmsg // 2, "HasAttachment": True,
    "Messages": [{"TicketMessageId": 1000 + i, "CreatedAt": "2020-04-20T09:%02d:00" % (i % 60), "Slevel": "External",
                  "Important": i % 7 == 0, "Author": text(2), "PersonId": i % 50, "PersonFullName": text(2),
                  "ContactId": 0, "ContactName": "", "NumAttachments": i % 3, "EmailHeader": text(12),
                  "MessageHeaders": [], "Language": "en", "Sentiment": 0, "SentimentConfidence": 0,
                  "CreatedBy": 1, "ChangedAt": "2020-04-20T10:00:00", "Badge": "Comment", "Body": text(30)}
                 for i in range(nmsg)],
    "TableRight": {"Mask": "FULL", "Reason": ""},
    "FieldProperties": {},
    "_Links": {"Self": "http://127.0.0.1/api/v1/Ticket/900"},
}
edited = copy.deepcopy(base)
edited["Title"] = "Printer on fire — again"
edited["OwnedBy"] = {"AssociateId": 5, "Name": "OK", "PersonId": 12, "Rank": 3, "Tooltip": "", "Type": "InternalAssociate",
                     "GroupIdx": 1, "FullName": "Ola Kari", "FormalName": "Ola Kari", "Deleted": False, "EjUserId": 7}
del edited["Tags"][3]
edited["Tags"].append({"Id": 12, "Name": "VIP"})
if ncustom > 2:
    edited["CustomFields"]["x_field_0000"] = 4242
    edited["CustomFields"]["x_field_0001"] = "changed"
edited["CustomFields"]["x_note"] = "call back"
json.dump(base, open(base_path, "w"), ensure_ascii=False, separators=(",", ":"))  # compact, as the service sends
json.dump(edited, open(edited_path, "w"), ensure_ascii=False, separators=(",", ":"))
