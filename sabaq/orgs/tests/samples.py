URL_KWARGS = {
    "orgs:district_create": {
        "parent_id": lambda demo, school: demo.organisations["region"].pk
    },
    "orgs:school_create": {
        "parent_id": lambda demo, school: demo.organisations["district"].pk
    },
    "school_id": lambda demo, school: demo.organisations[school].pk,
}
