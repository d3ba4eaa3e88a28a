#pragma once
// The usual visitor helper: std::visit(Overloaded{[](A&){}, [](B&){}}, variant).
namespace bot {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace bot
