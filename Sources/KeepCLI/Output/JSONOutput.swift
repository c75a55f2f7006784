import Foundation
import KeepCore

/// A JSON value built explicitly, so that every documented field is always present (null when empty).
enum JSONValue: Encodable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let values): try container.encode(values)
        case .object(let fields): try container.encode(fields)
        }
    }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    static func time(_ date: Date?) -> JSONValue { date.map { .string(Format.iso($0)) } ?? .null }

    /// The text of the value, pretty-printed with sorted keys.
    var rendered: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The documented JSON shape of each model (docs/JSON.md).
enum JSONShape {
    static func customer(_ customer: Customer) -> JSONValue {
        .object([
            "id": .string(customer.id.rawValue),
            "ref": .string(customer.id.short),
            "name": .string(customer.name),
            "phone": .optional(customer.phone),
            "email": .optional(customer.email),
            "createdAt": .time(customer.createdAt),
            "createdBy": .string(customer.createdBy),
        ])
    }

    static func note(_ note: Note, customers: [RecordID: Customer], now: Date) -> JSONValue {
        .object([
            "id": .string(note.id.rawValue),
            "ref": .string(note.id.short),
            "customer": .string(note.customerID.rawValue),
            "customerName": .optional(customers[note.customerID]?.name),
            "kind": .string(note.kind.rawValue),
            "channel": .optional(note.channel?.rawValue),
            "text": .string(note.text),
            "author": .string(note.author),
            "at": .time(note.at),
            "replyDueAt": .time(note.replyDueAt),
            "answeredAt": .time(note.answeredAt),
            "answeredBy": .optional(note.answeredBy),
            "answer": .optional(note.answerID?.rawValue),
            "inReplyTo": .optional(note.inReplyToID?.rawValue),
            "awaitingReply": .bool(note.isAwaitingReply),
            "waitingSince": .time(note.waitingSince),
            "replyLate": .bool(note.isReplyLate(now: now)),
        ])
    }

    static func promise(_ promise: Promise, customers: [RecordID: Customer], now: Date) -> JSONValue {
        .object([
            "id": .string(promise.id.rawValue),
            "ref": .string(promise.id.short),
            "customer": .string(promise.customerID.rawValue),
            "customerName": .optional(customers[promise.customerID]?.name),
            "text": .string(promise.text),
            "promisedBy": .string(promise.promisedBy),
            "madeAt": .time(promise.madeAt),
            "dueAt": .time(promise.dueAt),
            "status": .string(promise.status.rawValue),
            "overdue": .bool(promise.isOverdue(now: now)),
            "keptLate": .bool(promise.wasKeptLate),
            "keptAt": .time(promise.keptAt),
            "keptBy": .optional(promise.keptBy),
            "cancelledAt": .time(promise.cancelledAt),
            "cancelReason": .optional(promise.cancelReason),
        ])
    }

    static func followUp(_ followUp: FollowUp, customers: [RecordID: Customer], now: Date) -> JSONValue {
        .object([
            "id": .string(followUp.id.rawValue),
            "ref": .string(followUp.id.short),
            "customer": .string(followUp.customerID.rawValue),
            "customerName": .optional(customers[followUp.customerID]?.name),
            "text": .string(followUp.text),
            "dueAt": .time(followUp.dueAt),
            "status": .string(followUp.status.rawValue),
            "overdue": .bool(followUp.isOverdue(now: now)),
            "createdAt": .time(followUp.createdAt),
            "createdBy": .string(followUp.createdBy),
            "doneAt": .time(followUp.doneAt),
            "doneBy": .optional(followUp.doneBy),
            "purchase": .optional(followUp.purchaseID?.rawValue),
        ])
    }

    static func purchase(_ purchase: Purchase, customers: [RecordID: Customer]) -> JSONValue {
        .object([
            "id": .string(purchase.id.rawValue),
            "ref": .string(purchase.id.short),
            "customer": .string(purchase.customerID.rawValue),
            "customerName": .optional(customers[purchase.customerID]?.name),
            "item": .string(purchase.item),
            "amount": .optional(purchase.amount?.description),
            "at": .time(purchase.at),
            "by": .string(purchase.by),
        ])
    }

    static func survey(_ survey: Survey, customers: [RecordID: Customer]) -> JSONValue {
        .object([
            "id": .string(survey.id.rawValue),
            "ref": .string(survey.id.short),
            "customer": .string(survey.customerID.rawValue),
            "customerName": .optional(customers[survey.customerID]?.name),
            "score": .integer(survey.score),
            "text": .optional(survey.text),
            "at": .time(survey.at),
            "by": .string(survey.by),
        ])
    }
}
