// Einsum equation parsing and shape rule (einsum.h).
#include "einsum.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace tigris::frontend {

namespace {

// One term of the equation: its letters, and where its ellipsis sits (npos: none).
struct Term {
  std::string letters;
  size_t ellipsis_at = std::string::npos;  // index into `letters` the ellipsis precedes
};

Expected<Term> ParseTerm(const std::string& s, const std::string& what) {
  Term t;
  for (size_t k = 0; k < s.size();) {
    const char c = s[k];
    if (c == '.') {
      if (s.compare(k, 3, "...") != 0)
        return InvalidModel(what + " '" + s + "' has a '.' outside an ellipsis '...'");
      if (t.ellipsis_at != std::string::npos)
        return InvalidModel(what + " '" + s + "' has more than one ellipsis");
      t.ellipsis_at = t.letters.size();
      k += 3;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c)))
      return InvalidModel(what + " '" + s + "' has the character '" + std::string(1, c) +
                          "' (labels are letters a-z, A-Z)");
    t.letters += c;
    ++k;
  }
  return t;
}

// The term's labels for an ellipsis covering `covered` dims of the widest `widest`.
std::vector<int> Labels(const Term& t, size_t covered, size_t widest) {
  std::vector<int> out;
  for (size_t k = 0; k <= t.letters.size(); ++k) {
    if (k == t.ellipsis_at)
      for (size_t e = 0; e < covered; ++e)
        out.push_back(kEllipsisLabel + static_cast<int>(widest - covered + e));
    if (k < t.letters.size()) out.push_back(static_cast<unsigned char>(t.letters[k]));
  }
  return out;
}

}  // namespace

std::string EinsumLabelName(int label) {
  if (label >= kEllipsisLabel) return "ellipsis dim " + std::to_string(label - kEllipsisLabel);
  return "'" + std::string(1, static_cast<char>(label)) + "'";
}

Expected<EinsumLabels> ParseEinsum(const std::string& equation, const std::vector<size_t>& ranks) {
  std::string eq;
  for (char c : equation)
    if (!std::isspace(static_cast<unsigned char>(c))) eq += c;
  const size_t arrow = eq.find("->");
  const bool implicit = arrow == std::string::npos;
  const std::string lhs = implicit ? eq : eq.substr(0, arrow);
  const std::string rhs = implicit ? "" : eq.substr(arrow + 2);
  if (!implicit && rhs.find("->") != std::string::npos)
    return InvalidModel("equation has more than one '->'");
  if (rhs.find(',') != std::string::npos) return InvalidModel("the output of the equation has a ','");

  std::vector<Term> terms;
  for (size_t begin = 0;;) {
    const size_t comma = lhs.find(',', begin);
    TIGRIS_ASSIGN_OR_RETURN(
        Term t, ParseTerm(lhs.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin),
                          "operand " + std::to_string(terms.size())));
    terms.push_back(std::move(t));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  if (terms.size() != ranks.size())
    return InvalidModel("equation has " + std::to_string(terms.size()) + " operand(s) but the node has " +
                        std::to_string(ranks.size()) + " input(s)");

  EinsumLabels r;
  r.implicit_output = implicit;
  std::vector<size_t> covered(terms.size(), 0);
  for (size_t k = 0; k < terms.size(); ++k) {
    const Term& t = terms[k];
    const size_t n = t.letters.size();
    const bool ell = t.ellipsis_at != std::string::npos;
    if (ell ? ranks[k] < n : ranks[k] != n)
      return InvalidModel("operand " + std::to_string(k) + " has rank " + std::to_string(ranks[k]) +
                          " but its term '" + t.letters + "' has " + std::to_string(n) + " letter(s)" +
                          (ell ? " and an ellipsis" : ""));
    covered[k] = ell ? ranks[k] - n : 0;
    r.ellipsis_rank = std::max(r.ellipsis_rank, covered[k]);
  }
  for (size_t k = 0; k < terms.size(); ++k) r.inputs.push_back(Labels(terms[k], covered[k], r.ellipsis_rank));

  std::map<int, int> uses;  // letter -> occurrences over every operand
  for (const auto& in : r.inputs)
    for (int l : in)
      if (l < kEllipsisLabel) ++uses[l];
  if (implicit) {
    for (size_t e = 0; e < r.ellipsis_rank; ++e) r.output.push_back(kEllipsisLabel + static_cast<int>(e));
    for (const auto& [l, count] : uses)  // std::map: character order, as numpy sorts them
      if (count == 1) r.output.push_back(l);
    return r;
  }
  TIGRIS_ASSIGN_OR_RETURN(Term out, ParseTerm(rhs, "the output"));
  if (out.ellipsis_at == std::string::npos && r.ellipsis_rank > 0)
    return InvalidModel("the operands' ellipsis covers " + std::to_string(r.ellipsis_rank) +
                        " dim(s) but the output has no ellipsis");
  r.output = Labels(out, out.ellipsis_at == std::string::npos ? 0 : r.ellipsis_rank, r.ellipsis_rank);
  std::map<int, int> out_uses;
  for (char c : out.letters) {
    const int l = static_cast<unsigned char>(c);
    if (!uses.count(l)) return InvalidModel("output label " + EinsumLabelName(l) + " is in no operand");
    if (out_uses[l]++) return InvalidModel("output label " + EinsumLabelName(l) + " appears more than once");
  }
  return r;
}

Expected<std::vector<int64_t>> EinsumOutputShape(const EinsumLabels& labels,
                                                 const std::vector<std::vector<int64_t>>& shapes) {
  if (shapes.size() != labels.inputs.size()) return InvalidModel("operand count does not match the equation");
  std::map<int, int64_t> size;
  for (size_t k = 0; k < shapes.size(); ++k) {
    if (shapes[k].size() != labels.inputs[k].size())
      return InvalidModel("operand rank does not match the equation");
    for (size_t d = 0; d < shapes[k].size(); ++d) {
      const int l = labels.inputs[k][d];
      const int64_t v = shapes[k][d];
      auto [it, fresh] = size.emplace(l, v);
      if (fresh || it->second == v || v == 1) continue;
      if (it->second != 1)
        return InvalidModel("label " + EinsumLabelName(l) + " has sizes " + std::to_string(it->second) +
                            " and " + std::to_string(v));
      it->second = v;
    }
  }
  std::vector<int64_t> out;
  for (int l : labels.output) out.push_back(size.count(l) ? size.at(l) : 1);
  return out;
}

}  // namespace tigris::frontend
