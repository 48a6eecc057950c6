// jQuery's place in the bundle. ipywidgets and Backbone only wrap a view's element with it, as
// ``view.$el`` (kept for old custom widgets, which this page never loads): ``$(element)[0]`` is all they
// read. Running jQuery itself cost a client's phone a long task at start-up (its feature tests touch the
// page's layout), for nothing it used.
export default function $(element) {
  if (!(this instanceof $)) return new $(element);
  this[0] = element;
  this.length = element ? 1 : 0;
}
