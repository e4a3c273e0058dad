// The token in a URL fragment, split from what else the fragment holds (the web app's route).
import assert from "node:assert/strict";
import { test } from "node:test";

import { splitFragment } from "../../jupylabel/js/sign-in.js";

test("the token leaves the fragment and the route stays", () => {
  assert.deepEqual(splitFragment("#token=abc"), { token: "abc", rest: "" });
  assert.deepEqual(splitFragment("#token=abc&/projects/2/members"), { token: "abc", rest: "#/projects/2/members" });
  assert.deepEqual(splitFragment("#/projects/2&token=a%2Bb"), { token: "a+b", rest: "#/projects/2" });
  assert.deepEqual(splitFragment("#/projects/2&token=abc&x=1"), { token: "abc", rest: "#/projects/2&x=1" });
  assert.deepEqual(splitFragment("#/projects/2"), { token: null, rest: "#/projects/2" });
  assert.deepEqual(splitFragment("#token=%E0%A4%A"), { token: "%E0%A4%A", rest: "" }); // bad escape: as typed
  // twice: the first is used, neither stays in the address bar
  assert.deepEqual(splitFragment("#token=abc&token=def"), { token: "abc", rest: "" });
  assert.deepEqual(splitFragment("#/projects/2&token=abc&token=def&x=1"), { token: "abc", rest: "#/projects/2&x=1" });
  assert.deepEqual(splitFragment("#token=&token=abc"), { token: "abc", rest: "" });
});
