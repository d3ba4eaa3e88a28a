#include "bot/csv_reader.hpp"

#include "bot/text.hpp"

namespace bot {

namespace {

class CsvParser {
 public:
  explicit CsvParser(std::string_view text) : text_(strip_bom(text)) {}

  CsvTable read() {
    CsvTable table;
    while (pos_ < text_.size()) {
      const std::size_t start = line_;
      std::vector<std::string> fields;
      std::string problem;
      std::size_t problem_line = start;
      bool quoted_any = false;
      while (true) {
        std::string field;
        bool quoted = false;
        if (!read_field(field, quoted, problem, problem_line)) break;
        quoted_any = quoted_any || quoted;
        fields.push_back(std::move(field));
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        end_line();
        break;
      }
      if (!problem.empty()) {
        table.problems.push_back({problem_line, std::move(problem)});
        continue;
      }
      // An empty line is one empty unquoted field; spreadsheets leave them at the end.
      if (fields.size() == 1 && fields[0].empty() && !quoted_any) continue;
      if (!table.records.empty() && fields.size() != table.records.front().fields.size()) {
        const std::size_t want = table.records.front().fields.size();
        table.problems.push_back({start, std::to_string(fields.size()) + (fields.size() == 1 ? " field" : " fields") +
                                             " where the header has " + std::to_string(want)});
        continue;
      }
      table.records.push_back({start, std::move(fields)});
    }
    return table;
  }

 private:
  // Reads one field at pos_. False (with `problem` set and the rest of the record
  // skipped) when the field breaks the rules.
  bool read_field(std::string& field, bool& quoted, std::string& problem, std::size_t& problem_line) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      quoted = true;
      const std::size_t opened = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          problem_line = opened;
          problem = "a quoted field is never closed (everything after its opening quote was read as part of it)";
          return false;
        }
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        // A line break inside quotes is part of the field, and still a line for the
        // line numbers of later records.
        if (c == '\r' || c == '\n') {
          const std::size_t width = c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n' ? 2 : 1;
          field.append(text_.substr(pos_, width));
          pos_ += width;
          ++line_;
          continue;
        }
        field += c;
        ++pos_;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\r' && text_[pos_] != '\n') {
        problem_line = line_;
        problem = "text after the closing quote of a field (a quote inside a quoted field is written twice: \"\")";
        skip_line();
        return false;
      }
      return true;
    }
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ',' || c == '\r' || c == '\n') break;
      if (c == '"') {
        problem_line = line_;
        problem = "a quote inside a field that does not start with one (put the whole field in quotes and write "
                  "the quote twice: \"5'10\"\" tall\")";
        skip_line();
        return false;
      }
      field += c;
      ++pos_;
    }
    return true;
  }

  void end_line() {
    if (pos_ >= text_.size()) return;
    if (text_[pos_] == '\r') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    } else {
      ++pos_;  // '\n'
    }
    ++line_;
  }

  // After a broken field: drop the rest of its physical line, quotes or not, so that
  // reading starts again on the next one.
  void skip_line() {
    while (pos_ < text_.size() && text_[pos_] != '\r' && text_[pos_] != '\n') ++pos_;
    end_line();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

CsvTable parse_csv(std::string_view text) { return CsvParser{text}.read(); }

}  // namespace bot
