#include "bot/message_json.hpp"

namespace bot {

NLOHMANN_JSON_SERIALIZE_ENUM(RecipientKind, {{RecipientKind::person, "person"},
                                             {RecipientKind::channel, "channel"},
                                             {RecipientKind::thread, "thread"},
                                             {RecipientKind::manager, "manager"},
                                             {RecipientKind::home, "home"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ButtonStyle, {{ButtonStyle::normal, "normal"},
                                           {ButtonStyle::primary, "primary"},
                                           {ButtonStyle::danger, "danger"}})
NLOHMANN_JSON_SERIALIZE_ENUM(FieldKind, {{FieldKind::text, "text"},
                                         {FieldKind::long_text, "long_text"},
                                         {FieldKind::number, "number"},
                                         {FieldKind::single_select, "single_select"},
                                         {FieldKind::date, "date"},
                                         {FieldKind::person, "person"},
                                         {FieldKind::toggle, "toggle"}})

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Section, text)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Button, id, label, value, style)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Choice, value, label)

namespace {
template <class T>
void put_optional(nlohmann::json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
template <class T>
void get_optional(const nlohmann::json& j, const char* key, std::optional<T>& v) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) v = it->template get<T>();
}
}  // namespace

void to_json(nlohmann::json& j, const Field& f) {
  j = {{"id", f.id}, {"label", f.label}, {"kind", f.kind}, {"required", f.required}, {"hint", f.hint}, {"choices", f.choices}};
  put_optional(j, "initial", f.initial);
  put_optional(j, "min", f.min);
  put_optional(j, "max", f.max);
  put_optional(j, "max_length", f.max_length);
}

void from_json(const nlohmann::json& j, Field& f) {
  f.id = j.value("id", "");
  f.label = j.value("label", "");
  f.kind = j.value("kind", FieldKind::text);
  f.required = j.value("required", true);
  f.hint = j.value("hint", "");
  f.choices = j.value("choices", std::vector<Choice>{});
  get_optional(j, "initial", f.initial);
  get_optional(j, "min", f.min);
  get_optional(j, "max", f.max);
  get_optional(j, "max_length", f.max_length);
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Form, id, title, submit_label, fields, errors, also_asked)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Attachment, filename, media_type, content)

void to_json(nlohmann::json& j, const Recipient& r) {
  j = {{"kind", r.kind}, {"person", r.person.value}, {"channel", r.channel}, {"thread", r.thread}};
}

void from_json(const nlohmann::json& j, Recipient& r) {
  r.kind = j.value("kind", RecipientKind::person);
  r.person = PersonId{j.value("person", std::int64_t{0})};
  r.channel = j.value("channel", "");
  r.thread = j.value("thread", "");
}

void to_json(nlohmann::json& j, const Message& m) {
  j = {{"to", m.to}, {"sections", m.sections}, {"buttons", m.buttons}};
  put_optional(j, "form", m.form);
  put_optional(j, "update_key", m.update_key);
  put_optional(j, "attachment", m.attachment);
  put_optional(j, "edits", m.edits);
  if (m.answer) j["answer"] = true;
  put_optional(j, "retracts", m.retracts);
}

void from_json(const nlohmann::json& j, Message& m) {
  m.to = j.at("to").get<Recipient>();
  m.sections = j.value("sections", std::vector<Section>{});
  m.buttons = j.value("buttons", std::vector<Button>{});
  get_optional(j, "form", m.form);
  get_optional(j, "update_key", m.update_key);
  get_optional(j, "attachment", m.attachment);
  get_optional(j, "edits", m.edits);
  m.answer = j.value("answer", false);
  get_optional(j, "retracts", m.retracts);
}

}  // namespace bot
