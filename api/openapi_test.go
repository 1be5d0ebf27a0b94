package api

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// TestOpenAPIMatchesRoutes keeps openapi.json and the router in step: every route is documented and
// every documented operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				documented = append(documented, strings.ToUpper(method)+" "+param.ReplaceAllString(path, ":$1"))
			}
		}
	}
	var routed []string
	for _, r := range newRouter(nil, Options{}).Routes() {
		routed = append(routed, r.Method+" "+r.Path)
	}
	slices.Sort(documented)
	slices.Sort(routed)
	if diff := cmp.Diff(routed, documented); diff != "" {
		t.Errorf("routes and openapi.json differ (-routes +documented):\n%s", diff)
	}
}

// TestOpenAPIRefs checks that every $ref in the document points at a component it defines.
func TestOpenAPIRefs(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				var node any = doc
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := node.(map[string]any)
					node = m[part]
				}
				if node == nil {
					t.Errorf("dangling $ref %s", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

// TestOpenAPISchemasMatchTypes keeps the schemas and the Go types they describe in step: a schema
// lists exactly the JSON fields of its type.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	for _, tc := range []struct {
		name   string
		schema schema
		typ    reflect.Type
	}{
		{"Paper", s["Paper"], reflect.TypeFor[paper.Paper]()},
		{"Component", s["Component"], reflect.TypeFor[index.Component]()},
		{"Result", s["Result"], reflect.TypeFor[index.Result]()},
		{"Result.highlights", s["Result"].Properties["highlights"], reflect.TypeFor[index.Highlights]()},
		{"Results", s["Results"], reflect.TypeFor[Results]()},
		{"SimilarRequest", s["SimilarRequest"], reflect.TypeFor[similarRequest]()},
		{"ExportRequest", s["ExportRequest"], reflect.TypeFor[exportRequest]()},
		{"UpsertResult", s["UpsertResult"], reflect.TypeFor[upsertResponse]()},
		{"Stats", s["Stats"], reflect.TypeFor[statsResponse]()},
	} {
		var documented []string
		for name := range tc.schema.Properties {
			documented = append(documented, name)
		}
		got := jsonFields(tc.typ)
		slices.Sort(documented)
		slices.Sort(got)
		if diff := cmp.Diff(got, documented); diff != "" {
			t.Errorf("schema %s and %s differ (-type +schema):\n%s", tc.name, tc.typ, diff)
		}
	}
}

type schema struct {
	Properties map[string]schema `json:"properties"`
}

// jsonFields are the names encoding/json gives the fields of a struct type, embedded structs
// flattened.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			out = append(out, jsonFields(f.Type)...)
		case name != "":
			out = append(out, name)
		case f.IsExported():
			out = append(out, f.Name)
		}
	}
	return out
}
